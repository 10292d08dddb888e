// What a sparse-autoencoder job trains on. Curve trials (clinical GRF, GaitRec: 101-point curves per trial) are
// rows as they are; walks (gaitpdb insoles, IMU and motion-capture trials: channels over time) train on GaitLab's
// own gait cycles, one row per cycle and side (compute/side-cycle-dataset.ts). Cycles are extracted first where
// missing or stale, as fitGp does, so the worker reads them as stored. Refusals come before anything is queued.
import { basename } from 'node:path';
import { pairedCycleChannels } from '../compute/side-cycle-dataset';
import { readChannelMeta } from '../store/trial-meta';
import { readLabelledTrials } from '../store/training-data';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { cycles as readTrialCycles, extractCycles } from './gait-service';

type DataRequest = { cohort: string; session: string | null; channels?: string[] };

/** At most this many channel pairs are taken by default; more (motion capture) must be named. */
const MAX_DEFAULT_PAIRS = 4;

export function saeTrainingData(ctx: ServiceContext, data: DataRequest): DataRequest & { extracted: number } {
  const file = basename(ctx.dbPath);
  const trials = readLabelledTrials(ctx.db, data.cohort, data.session);
  // No trials: startTraining refuses the cohort in its own words.
  if (trials.length === 0) return { ...data, extracted: 0 };
  const walks = data.channels?.length || readChannelMeta(ctx.db, trials[0].trialId).some((c) => c.domain === 'time');
  if (!walks) return { ...data, extracted: 0 };
  if (data.channels?.length) {
    const pairs = pairedCycleChannels(data.channels);
    const unpaired = data.channels.filter((c) => !pairs.some((p) => p.left === c || p.right === c));
    if (unpaired.length) throw new ApiError('input', `${file}: field signal: ${unpaired.join(', ')} ha${unpaired.length > 1 ? 've' : 's'} no left/right partner; name both sides (e.g. L_total,R_total)`);
  }
  let extracted = 0;
  const names = new Set<string>();
  for (const t of trials) {
    if (readTrialCycles(ctx, { trialId: t.trialId, kind: 'gait_cycle' }).unextracted.length > 0) {
      extractCycles(ctx, { trialId: t.trialId });
      extracted++;
    }
    for (const c of readTrialCycles(ctx, { trialId: t.trialId, kind: 'gait_cycle' }).cycles) if (c.flags.length === 0) names.add(c.channel);
  }
  const available = pairedCycleChannels(names);
  if (data.channels?.length) {
    const missing = data.channels.filter((c) => !names.has(c));
    if (missing.length) throw new ApiError('input', `${file}: field signal: no clean gait cycles of ${missing.join(', ')} in cohort "${data.cohort}" (cycle channels: ${[...names].slice(0, 12).join(', ') || 'none'})`);
    return { ...data, extracted };
  }
  if (available.length === 0) throw new ApiError('input', `${file}: field cohort: no left/right pairs of clean gait cycles in cohort "${data.cohort}" (${trials.length} trials, ${extracted} extracted now; cycle channels: ${[...names].slice(0, 12).join(', ') || 'none'})`);
  const chosen = available.some((p) => p.name === 'total') ? available.filter((p) => p.name === 'total') : available;
  if (chosen.length > MAX_DEFAULT_PAIRS) throw new ApiError('input', `${file}: field signal: cohort "${data.cohort}" has ${chosen.length} left/right cycle channel pairs; name up to ${MAX_DEFAULT_PAIRS} pairs with --signal (e.g. ${chosen.slice(0, 2).flatMap((p) => [p.left, p.right]).join(',')})`);
  return { ...data, channels: chosen.flatMap((p) => [p.left, p.right]), extracted };
}
