// The report's SincPD evidence: which sinc filters and insole sensors separated controls from PD in the newest
// PD model, from the model's own filter-energy explanation (the one the SincPD panel and `gaitlab explain` show).
// The explanation is of the model, not of this patient: it needs segments of both classes, so it runs on the
// model's held-out subjects (or its training subjects, said so), never on one patient's walks alone, and is the one
// kept with the model (services/sincpd-explanation.ts): a report reads it, never the walks.
import { SENSOR_POSITIONS } from '../../src-shared/methods/sincpd/explain';
import type { SincEvidence } from '../../src-shared/report/model';
import type { StoredModelSummary } from '../store/models';
import type { ServiceContext } from './context';
import * as sincpd from './sincpd-service';

/** How many filters a report lists: the strongest few, the rest are in `gaitlab explain <model>`. */
export const REPORT_TOP_FILTERS = 3;
const HOW_TO_RUN = 'gaitlab train sincpd --task pd, then gaitlab report again';

/** The evidence of `model` (the newest SincPD model of the PD task), or "not run" with the command when there is none. */
export async function sincEvidence(ctx: ServiceContext, model: Pick<StoredModelSummary, 'id' | 'params'> | undefined): Promise<SincEvidence> {
  if (!model) {
    return { status: 'not-run', howToRun: HOW_TO_RUN, modelId: null, filters: [], sensors: [], summary: 'No SincPD model of the PD task has been trained: no filters or sensors to show.' };
  }
  let res;
  try {
    res = await sincpd.explain(ctx, { modelId: model.id, inputs: [], rankBy: 'abs' });
  } catch (e) {
    return { status: 'not-applicable', howToRun: null, modelId: model.id, filters: [], sensors: [], summary: `Model ${model.id} cannot be explained here: ${(e as Error).message}` };
  }
  const e = res.explanation;
  const s = res.segments;
  const filters = [...e.filters].sort((a, b) => a.rank - b.rank).slice(0, REPORT_TOP_FILTERS).map((f) => ({
    rank: f.rank, sensor: f.sensor, channel: f.channel, region: f.region, filter: f.filter, f1Hz: f.f1Hz, f2Hz: f.f2Hz,
    measuredBandsHz: f.measuredBandsHz, aliased: f.aliased, deltaE: f.deltaE,
  }));
  const total = e.sensors.reduce((a, x) => a + x.sumAbsDeltaE, 0);
  const sensors = [...e.sensors].sort((a, b) => a.rank - b.rank).map((x) => ({
    rank: x.rank, sensor: x.sensor, channel: e.filters.find((f) => f.sensor === x.sensor)?.channel ?? `L${x.sensor}−R${x.sensor}`,
    region: SENSOR_POSITIONS[x.sensor - 1]?.region ?? '—', sumAbsDeltaE: x.sumAbsDeltaE, share: total > 0 ? x.sumAbsDeltaE / total : 0,
  }));
  const quick = model.params.quick ? ', QUICK settings' : '';
  // The kept explanation (computed once with the model): when, and whether the walks it read changed since.
  const k = res.stored;
  const kept = !k ? '' : k.current ? ` Explanation kept with the model, computed ${k.computedAt}.` : ` NOTE: ${k.note}.`;
  return {
    status: 'available', howToRun: null, modelId: model.id, filters, sensors,
    summary: `Top ${filters.length} of ${e.filters.length} sinc filters of model ${model.id}${quick} (${e.profile}, fs ${e.fs} Hz), ranked by |ΔE| = |energy of the control representative segment − the PD one|, on ${s.n} segments (${s.healthy} control, ${s.pd} PD) of the model's ${s.source}${s.heldOut ? '' : ' (seen in training)'}. Each sensor is a left − right pair; its share is its part of Σ|ΔE| over all filters.${kept}`,
  };
}
