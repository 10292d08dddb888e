// gaitlab events / event / cycles / params: gait events, time-normalised cycles and clinical parameters. The reads
// (getEvents, getCycles, getParams) never write; where a trial has not been analysed yet, the command makes the
// explicit call (detectEvents, extractCycles) first, as the app's first view of a trial does.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson, table } from '../output';
import { keyValue, side, type ParamValue } from '../parse';
import { withApi, type GlobalOptions } from '../run-context';
import { resolveSubjectId } from './subjects';

function seconds(value: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`expected a time in seconds ≥ 0, found "${value}"`);
  return v;
}

function printEvents(res: ApiResponse<'getEvents'>): void {
  if (res.detector) console.log(`detector ${res.detector.name} ${res.detector.version} (run ${res.detector.runId}) ${JSON.stringify(res.detector.params)}`);
  console.log(table(res.events.map((e) => ({ id: e.id, 'time s': e.timeS.toFixed(3), label: e.label, side: e.side, source: e.source,
    threshold: e.threshold ? `${e.threshold.value.toFixed(1)} ${e.threshold.unit}` : '', manual: e.manual ? 'yes' : '' })),
  ['id', 'time s', 'label', 'side', 'source', 'threshold', 'manual']));
}

export function registerGait(program: Command, global: () => GlobalOptions): void {
  program
    .command('events')
    .description("a trial's gait events (detected on first use with the detector that fits its channels)")
    .argument('<trialId>', 'trial id (T-…)')
    .option('--detect', 'run the detector again (manual corrections stay)')
    .option('--detector <name>', 'which detector (with --detect)')
    .option('--param <name=value>', 'a detector parameter, e.g. onN=25 (repeatable; with --detect)', keyValue)
    .action(async (trialId: string, o: { detect?: boolean; detector?: string; param?: Record<string, ParamValue> }) => {
      const g = global();
      const res = (await withApi(g, async (call) => {
        if (o.detect || o.detector || o.param) return call('detectEvents', { trialId, detector: o.detector, params: o.param });
        const stored = (await call('getEvents', { trialId })) as ApiResponse<'getEvents'>;
        return stored.pendingDetector ? call('detectEvents', { trialId, onlyIfPending: true }) : stored;
      })) as ApiResponse<'getEvents'>;
      if (g.json) printJson(res);
      else printEvents(res);
    });

  const event = program.command('event').description('correct, add or delete one gait event by hand (audited)');
  event.command('correct').argument('<eventId>').requiredOption('--time <s>', 'the corrected time in seconds', seconds)
    .option('--label <label>').option('--side <side>', 'left, right or both', side)
    .action(async (eventId: string, o: { time: number; label?: string; side?: 'left' | 'right' | 'both' }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('correctEvent', { eventId, timeS: o.time, label: o.label, side: o.side }))) as ApiResponse<'correctEvent'>;
      if (g.json) printJson(res);
      else console.log(`event ${res.event.id}: ${res.event.label} ${res.event.side ?? ''} at ${res.event.timeS.toFixed(3)} s (manual)`);
    });
  event.command('add').argument('<trialId>').requiredOption('--label <label>').requiredOption('--time <s>', 'time in seconds', seconds).option('--side <side>', 'left, right or both', side)
    .action(async (trialId: string, o: { label: string; time: number; side?: 'left' | 'right' | 'both' }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('addEvent', { trialId, label: o.label, side: o.side ?? null, timeS: o.time }))) as ApiResponse<'addEvent'>;
      if (g.json) printJson(res);
      else console.log(`event ${res.event.id} added`);
    });
  event.command('delete').argument('<eventId>')
    .action(async (eventId: string) => {
      const g = global();
      const res = await withApi(g, (call) => call('deleteEvent', { eventId }));
      if (g.json) printJson(res);
      else console.log(`event ${eventId} deleted`);
    });

  program
    .command('cycles')
    .description("a trial's time-normalised cycles (101 points) with their source interval and flags")
    .argument('<trialId>', 'trial id (T-…)')
    .option('--kind <kind>', 'gait_cycle or stance')
    .option('--channel <name>', 'only this channel')
    .option('--extract', 'extract them again (events detected first where none were)')
    .option('--param <name=value>', 'a segmentation parameter, e.g. minCycleS=0.5 (repeatable; extracts again)', keyValue)
    .addOption(new Option('--event-source <source>', 'which events cut the gait cycles (extracts again); auto: manual, file, plates, kinematic').choices(['auto', 'manual', 'file', 'plates', 'kinematic', 'detector']))
    .action(async (trialId: string, o: { kind?: 'stance' | 'gait_cycle'; channel?: string; extract?: boolean; param?: Record<string, ParamValue>; eventSource?: 'auto' | 'manual' | 'file' | 'plates' | 'kinematic' | 'detector' }) => {
      const g = global();
      const res = (await withApi(g, async (call) => {
        const query = { trialId, kind: o.kind, channel: o.channel };
        if (o.extract || o.param || o.eventSource) await call('extractCycles', { trialId, params: o.param, force: true, eventSource: o.eventSource });
        const stored = (await call('getCycles', query)) as ApiResponse<'getCycles'>;
        if (stored.unextracted.length === 0) return stored;
        await call('extractCycles', { trialId });
        return call('getCycles', query);
      })) as ApiResponse<'getCycles'>;
      if (g.json) printJson(res);
      else console.log(table(res.cycles.map((c) => ({ channel: c.channel, side: c.side, kind: c.kind, 'start s': c.startS.toFixed(3), 'end s': c.endS.toFixed(3), unit: c.unit,
        plane: c.plane ?? '', 'foot off %': c.footOffPercent === null ? '' : c.footOffPercent.toFixed(1), events: c.eventSource ?? '', flags: c.flags.join(', ') })),
        ['channel', 'side', 'kind', 'start s', 'end s', 'unit', 'plane', 'foot off %', 'events', 'flags']));
    });

  program
    .command('params')
    .description('spatiotemporal parameters and symmetry of a trial or of all trials of a subject')
    .argument('<id>', 'trial id (T-…), subject id (S-…) or subject code')
    .action(async (id: string) => {
      const g = global();
      const res = (await withApi(g, async (call) => {
        const scope = /^T-/.test(id) ? { trialId: id } : { subjectId: await resolveSubjectId(call, id) };
        const first = (await call('getParams', scope)) as ApiResponse<'getParams'>;
        if (first.pendingDetection.length === 0) return first;
        for (const trialId of first.pendingDetection) await call('detectEvents', { trialId, onlyIfPending: true });
        return call('getParams', scope);
      })) as ApiResponse<'getParams'>;
      if (g.json) printJson(res);
      else {
        console.log(`${res.trials.length} trial(s), strides left ${res.strides.left}, right ${res.strides.right}, flagged ${res.strides.flagged}`);
        const f = (m: { value: number | null; unit: string }) => (m.value === null ? '' : `${m.value.toFixed(3)} ${m.unit}`);
        console.log(table(res.parameters.map((p) => ({ parameter: p.name, side: p.side, mean: f(p.mean), sd: f(p.sd), cv: f(p.cv), n: p.n })), ['parameter', 'side', 'mean', 'sd', 'cv', 'n']));
        console.log(table(res.symmetry.map((s) => ({ parameter: s.name, left: f(s.left), right: f(s.right), SI: f(s.symmetryIndex), SA: f(s.symmetryAngle) })), ['parameter', 'left', 'right', 'SI', 'SA']));
      }
    });
}
