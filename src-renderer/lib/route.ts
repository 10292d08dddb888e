// Hash routes: #/ (subjects), #/subjects/<id>, #/subjects/<id>/cycles, #/trials, #/trials/<id>, #/jobs, #/models, #/models/<id>, #/reports, #/reports/<id>.
// Hash routing because Electron loads file://.
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'subjects' }
  | { page: 'subject'; subjectId: string }
  | { page: 'subject-cycles'; subjectId: string }
  | { page: 'trials' }
  | { page: 'trial'; trialId: string }
  | { page: 'jobs' }
  | { page: 'models'; modelId: string | null }
  | { page: 'reports' }
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
  if (path === '/jobs' || path === '/jobs/') return { page: 'jobs' };
  if (path === '/models' || path === '/models/') return { page: 'models', modelId: null };
  const model = /^\/models\/([^/]+)\/?$/.exec(path);
  if (model) return { page: 'models', modelId: decodeURIComponent(model[1]) };
  if (path === '/reports' || path === '/reports/') return { page: 'reports' };
  const report = /^\/reports\/([^/]+)\/?$/.exec(path);
  if (report) return { page: 'report', reportId: decodeURIComponent(report[1]) };
  return { page: 'not-found', hash: path };
}

export const hrefSubjects = '#/';
export const hrefSubject = (id: string): string => `#/subjects/${encodeURIComponent(id)}`;
export const hrefSubjectCycles = (id: string): string => `#/subjects/${encodeURIComponent(id)}/cycles`;
export const hrefTrials = '#/trials';
export const hrefTrial = (id: string): string => `#/trials/${encodeURIComponent(id)}`;
export const hrefJobs = '#/jobs';
export const hrefModels = '#/models';
export const hrefModel = (id: string): string => `#/models/${encodeURIComponent(id)}`;
export const hrefReports = '#/reports';
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
