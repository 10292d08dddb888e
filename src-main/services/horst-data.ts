// Before a Horst job on insole walks (gaitpdb, methods-spec §5.1.3 b) is queued: the walks' gait cycles are
// extracted where missing or stale (the worker reads them as stored, as the GP does), and a grouped task refuses a
// cohort with subjects that have no group (named), and PD vs control one without exactly two groups, so that nothing
// is queued that would drop them silently or fail in the worker.
import { basename } from 'node:path';
import { isInsoleCohort } from '../compute/insole-cycle-dataset';
import { readLabelledTrials, readUngroupedSubjects } from '../store/training-data';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { cycles as readTrialCycles, extractCycles } from './gait-service';

/** Returns how many walks had their cycles extracted now (0 for a cohort of stored curves). */
export function prepareHorstData(ctx: ServiceContext, data: { cohort: string; session: string | null }, task: string): number {
  if (task !== 'subject') {
    const ungrouped = readUngroupedSubjects(ctx.db, data.cohort);
    if (ungrouped.length > 0) {
      const names = ungrouped.slice(0, 10).map((s) => (s.code ? `${s.subjectId} (${s.code})` : s.subjectId)).join(', ');
      throw new ApiError('input', `${basename(ctx.dbPath)}: field group: task ${task} needs every subject's group; ${ungrouped.length} of cohort "${data.cohort}" ha${ungrouped.length > 1 ? 've' : 's'} none: ${names}${ungrouped.length > 10 ? ', …' : ''}`);
    }
  }
  if (task === 'pd') {
    const groups = [...new Set(readLabelledTrials(ctx.db, data.cohort, data.session).map((t) => t.group))].sort();
    if (groups.length !== 2) throw new ApiError('input', `${basename(ctx.dbPath)}: field group: task pd needs two groups (PD and control); cohort "${data.cohort}" has ${groups.length}: ${groups.join(', ')}`);
  }
  if (!isInsoleCohort(ctx.db, data)) return 0;
  let extracted = 0;
  for (const t of readLabelledTrials(ctx.db, data.cohort, data.session)) {
    if (readTrialCycles(ctx, { trialId: t.trialId, kind: 'gait_cycle', channel: 'L_total' }).unextracted.length > 0) {
      extractCycles(ctx, { trialId: t.trialId });
      extracted++;
    }
  }
  return extracted;
}
