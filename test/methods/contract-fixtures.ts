// One real input per registered method, for the contract tests over the registry (contract.test.ts). A method
// registered without a fixture here fails those tests: add its input here (a real file of ../shared/data,
// or a small fixture made in the test), one that gives a non-empty result.
import type { GaitEvent } from '../../src-shared/signal/events';
import { getMethod, type DetectedEvent, type PlateStanceInput, type TrialSignals } from '../../src-shared/methods';
import type { CycleInput } from '../../src-shared/signal/cycles';
import { sharedData } from '../helpers';
import { trialFromFiles } from './trial-from-files';

const gaitpdbWalk = () => trialFromFiles([sharedData('gaitpdb', 'GaCo01_01.txt.gz')]);
const plateWalk = () => trialFromFiles([sharedData('horst2019-gait-c3d', 'gait-pig.c3d')]);
const voisard = (code: string) => trialFromFiles(['lf', 'rf'].map((f) => sharedData('voisard2023-ipol-imu-healthy', 'healthy', `${code}_${f}.txt`)), code);

const sided = (events: DetectedEvent[]): GaitEvent[] => events.filter((e): e is GaitEvent => e.side !== null);

async function detected(method: string, trial: TrialSignals): Promise<DetectedEvent[]> {
  const m = getMethod(method);
  if (!m || m.kind !== 'transform') throw new Error(`${method} is not a registered transform`);
  return (m.run(trial) as { output: { events: DetectedEvent[] } }).output.events;
}

export const contractFixtures: Record<string, () => Promise<unknown>> = {
  InsoleEvents: gaitpdbWalk,
  ForceThresholdEvents: plateWalk,
  ShankGyroEvents: () => trialFromFiles([sharedData('hugadb', 'HuGaDB_v1_walking_08_00.txt')]),
  FootImuEvents: () => voisard('1-1'),
  // A patient's lower-back sensor alone (Voisard et al.'s multiple sclerosis example).
  LowerBackImuEvents: () => trialFromFiles([sharedData('voisard2023-ipol-imu-healthy', 'impaired', 'multiple_sclerosis', 'M0_edss_6_lb.txt.gz')], 'M0_edss_6'),
  // Motion Analysis markers (LHEE/RHEE, LTOE/RTOE, VSAC) of a walk over two plates: the default labels fit.
  KinematicEvents: () => trialFromFiles([sharedData('horst2019-gait-c3d', 'btk-Gait.c3d')]),
  GaitCycleSegmentation: async (): Promise<CycleInput> => {
    const trial = await gaitpdbWalk();
    const [l, r] = ['L_total', 'R_total'].map((n) => trial.channels.get(n)!);
    return {
      events: sided(await detected('InsoleEvents', trial)),
      channels: { left: { values: l.values, rateHz: l.rateHz! }, right: { values: r.values, rateHz: r.rateHz! } },
    };
  },
  PlateStances: async (): Promise<PlateStanceInput> => {
    const trial = await plateWalk();
    const events = (await detected('ForceThresholdEvents', trial)).map((e) => ({ label: e.label as 'initial_contact' | 'final_contact', timeS: e.timeS, plate: String(e.params.plate), side: e.side }));
    const components: PlateStanceInput['components'] = {};
    for (const plate of new Set(events.map((e) => e.plate))) {
      components[plate] = ['Fx', 'Fy', 'Fz'].map((k) => trial.channels.get(`${plate}_${k}`)!).map((c) => ({ name: c.name, values: c.values, rateHz: c.rateHz! }));
    }
    return { events, components };
  },
};
