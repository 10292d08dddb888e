// What a deletion on request removes and what stays, in words: the CLI and the delete dialog say the same
// sentence, built from the service's dry run (store/subject-records.ts planSubjectDeletion).

/** The dry run's counts (the deleteSubject response's `plan`). */
export interface DeletionCounts {
  sessions: number;
  trials: number;
  signals: number;
  events: number;
  /** The subject's own attribute rows (body mass, scores, …). */
  attributes: number;
  cycles: number;
  /** Detector and method runs on its trials (their parameters and results). */
  analysisRuns: number;
  relevanceMaps: number;
  /** Live recordings among its trials (their chunks and gaps go with them). */
  liveRecordings: number;
  reportsUnlinked: number;
  /** Reference sets whose members include its trials: they keep their curves and the members' ids and hashes. */
  referenceSets: number;
  /** Models whose data selection names its trials: they keep their weights and selection. */
  models: number;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** '2 sessions, 1 trial, 18 signals, 40 events and 12 cycles': always the first four, the others where there are some. */
export function removedItems(p: DeletionCounts): string {
  const extra: [number, string, string?][] = [
    [p.attributes, 'attribute'], [p.cycles, 'cycle'], [p.analysisRuns, 'analysis run'], [p.relevanceMaps, 'relevance map'], [p.liveRecordings, 'live recording'],
  ];
  return list([
    count(p.sessions, 'session'), count(p.trials, 'trial'), count(p.signals, 'signal'), count(p.events, 'event'),
    ...extra.filter(([n]) => n > 0).map(([n, one, many]) => count(n, one, many)),
  ]);
}

/** What stays of the subject's data elsewhere, or null: '1 report stays, no longer linked to the subject; …'. */
export function keptItems(p: DeletionCounts): string | null {
  const kept: string[] = [];
  if (p.reportsUnlinked) kept.push(`${count(p.reportsUnlinked, 'report')} ${p.reportsUnlinked === 1 ? 'stays' : 'stay'}, no longer linked to the subject`);
  if (p.referenceSets) kept.push(`${count(p.referenceSets, 'reference set')} built with its trials ${p.referenceSets === 1 ? 'keeps its' : 'keep their'} curves`);
  if (p.models) kept.push(`${count(p.models, 'model')} trained with its trials ${p.models === 1 ? 'stays' : 'stay'}`);
  return kept.length ? kept.join('; ') : null;
}
