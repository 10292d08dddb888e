// Hash routes: #/ (subjects), #/subjects/<id>, #/subjects/<id>/cycles[/<channel>], #/subjects/<id>/gait-graph, #/trials,
// #/trials/<id>, #/trials/<id>/cycles/<channel>, #/trials/<id>/gait-graph, #/jobs, #/models, #/models/<id>, #/reports,
// #/reports/<id>, #/export, #/record.
// Hash routing because Electron loads file://.
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'subjects' }
  | { page: 'subject'; subjectId: string }
  | { page: 'subject-cycles'; subjectId: string; channel?: string }
  | { page: 'trials' }
  | { page: 'trial'; trialId: string; channel?: string }
  | { page: 'gait-graph'; trialId?: string; subjectId?: string }
  | { page: 'jobs' }
  | { page: 'models'; modelId: string | null }
  | { page: 'reports' }
  | { page: 'export' }
  | { page: 'record' }
  | { page: 'report'; reportId: string }
  | { page: 'not-found'; hash: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '') return { page: 'subjects' };
  const subject = /^\/subjects\/([^/]+)\/?$/.exec(path);
  if (subject) return { page: 'subject', subjectId: decodeURIComponent(subject[1]) };
  const cycles = /^\/subjects\/([^/]+)\/cycles\/?$/.exec(path);
  if (cycles) return { page: 'subject-cycles', subjectId: decodeURIComponent(cycles[1]) };
  if (path === '/trials' || path === '/trials/') return { page: 'trials' };
  const trial = /^\/trials\/([^/]+)\/?$/.exec(path);
  if (trial) return { page: 'trial', trialId: decodeURIComponent(trial[1]) };
  // A channel's cycles, as a gait graph panel opens them.
  const channelCycles = /^\/(subjects|trials)\/([^/]+)\/cycles\/([^/]+)\/?$/.exec(path);
  if (channelCycles) {
    const [id, channel] = [decodeURIComponent(channelCycles[2]), decodeURIComponent(channelCycles[3])];
    return channelCycles[1] === 'trials' ? { page: 'trial', trialId: id, channel } : { page: 'subject-cycles', subjectId: id, channel };
  }
  const graph = /^\/(subjects|trials)\/([^/]+)\/gait-graph\/?$/.exec(path);
  if (graph) return graph[1] === 'trials' ? { page: 'gait-graph', trialId: decodeURIComponent(graph[2]) } : { page: 'gait-graph', subjectId: decodeURIComponent(graph[2]) };
  if (path === '/jobs' || path === '/jobs/') return { page: 'jobs' };
  if (path === '/models' || path === '/models/') return { page: 'models', modelId: null };
  const model = /^\/models\/([^/]+)\/?$/.exec(path);
  if (model) return { page: 'models', modelId: decodeURIComponent(model[1]) };
  if (path === '/reports' || path === '/reports/') return { page: 'reports' };
  if (path === '/export' || path === '/export/') return { page: 'export' };
  if (path === '/record' || path === '/record/') return { page: 'record' };
  const report = /^\/reports\/([^/]+)\/?$/.exec(path);
  if (report) return { page: 'report', reportId: decodeURIComponent(report[1]) };
  return { page: 'not-found', hash: path };
}

export const hrefSubjects = '#/';
export const hrefSubject = (id: string): string => `#/subjects/${encodeURIComponent(id)}`;
export const hrefSubjectCycles = (id: string): string => `#/subjects/${encodeURIComponent(id)}/cycles`;
export const hrefGaitGraph = (scope: { trialId: string } | { subjectId: string }): string =>
  'trialId' in scope ? `#/trials/${encodeURIComponent(scope.trialId)}/gait-graph` : `#/subjects/${encodeURIComponent(scope.subjectId)}/gait-graph`;
export const hrefChannelCycles = (scope: { trialId: string } | { subjectId: string }, channel: string): string =>
  'trialId' in scope ? `#/trials/${encodeURIComponent(scope.trialId)}/cycles/${encodeURIComponent(channel)}` : `#/subjects/${encodeURIComponent(scope.subjectId)}/cycles/${encodeURIComponent(channel)}`;
export const hrefTrials = '#/trials';
export const hrefTrial = (id: string): string => `#/trials/${encodeURIComponent(id)}`;
export const hrefJobs = '#/jobs';
export const hrefModels = '#/models';
export const hrefModel = (id: string): string => `#/models/${encodeURIComponent(id)}`;
export const hrefReports = '#/reports';
export const hrefExport = '#/export';
export const hrefRecord = '#/record';
export const hrefReport = (id: string): string => `#/reports/${encodeURIComponent(id)}`;

export function navigate(href: string): void {
  if (window.location.hash === href) return;
  window.location.hash = href;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
