// The API's implementation: one handler per method of src-shared/api/schema.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { api, type ApiMethod, type ApiResponse } from '../../src-shared/api/schema';
import { verifyAuditLog } from '../store/audit-verify';
import { schemaVersion } from '../store/db';
import { counts, getSubject, getTrial, listSubjects, listTrials } from '../store/queries';
import { ApiError } from './api-errors';
import type { CallContext } from './call-context';
import type { ServiceContext } from './context';
import { importPaths } from './import-service';
import { exportTrial, listFormats } from './export-service';
import { exportCohort, previewCohort } from './cohort-export';
import * as reports from './report-service';
import { renderReport, writeReport } from '../report/write-report';
import * as gaitEvents from './event-service';
import * as gait from './gait-service';
import * as gp from './gp-service';
import * as horst from './horst-service';
import { perturbModel } from './horst-perturb-service';
import { perturbationResult, startPerturbation } from './perturb-job-service';
import * as jobs from './job-service';
import * as records from './records-service';
import * as references from './reference-service';
import * as gaitGraph from './gait-graph-service';
import * as recording from './recording-service';
import * as sae from './sae-service';
import * as saeViews from './sae-views-service';
import * as sincpd from './sincpd-service';
import { getChannels } from './signal-service';
import { version } from './version';

export { ApiError };

type Parsed<M extends ApiMethod> = (typeof api)[M]['request']['_zod']['output'];
type Handler<M extends ApiMethod> = (ctx: ServiceContext, req: Parsed<M>, call: CallContext) => ApiResponse<M> | Promise<ApiResponse<M>>;

export function demoDir(ctx: ServiceContext): string {
  return join(ctx.resourcesDir, 'demo');
}

export const handlers: { [M in ApiMethod]: Handler<M> } = {
  info: (ctx) => ({
    version,
    dbPath: ctx.dbPath,
    schemaVersion: schemaVersion(ctx.db),
    counts: counts(ctx.db),
    demoAvailable: existsSync(demoDir(ctx)),
    mode: ctx.mode,
  }),
  listSubjects: (ctx, req) => listSubjects(ctx.db, req),
  getSubject: (ctx, req) => {
    const s = getSubject(ctx.db, req.id);
    if (!s) throw new ApiError('not-found', `no subject ${req.id}`);
    return s;
  },
  listTrials: (ctx, req) => listTrials(ctx.db, req),
  getSignals: (ctx, req) => {
    const trial = getTrial(ctx.db, req.trialId);
    if (!trial) throw new ApiError('not-found', `no trial ${req.trialId}`);
    return { trial, channels: getChannels(ctx, req.trialId, req) };
  },
  importPaths: (ctx, req, call) => importPaths(ctx, req.paths, call.progress, call.signal, { maxFileMb: req.maxFileMb }),
  loadDemo: (ctx, _req, call) => {
    if (!existsSync(demoDir(ctx))) throw new ApiError('not-found', `the demo cohort is missing from ${demoDir(ctx)}`);
    return importPaths(ctx, [demoDir(ctx)], call.progress, call.signal);
  },
  auditVerify: (ctx) => verifyAuditLog(ctx.db),
  getEvents: (ctx, req) => gaitEvents.events(ctx, req.trialId),
  detectEvents: (ctx, req) => (req.onlyIfPending ? gaitEvents.detectIfPending(ctx, req.trialId) : gaitEvents.detect(ctx, req.trialId, req.detector, req.params)),
  correctEvent: (ctx, req) => gaitEvents.correct(ctx, req),
  addEvent: (ctx, req) => gaitEvents.add(ctx, req),
  deleteEvent: (ctx, req) => gaitEvents.remove(ctx, req.eventId),
  getCycles: (ctx, req) => gait.cycles(ctx, req),
  extractCycles: (ctx, req) => gait.extractCycles(ctx, req),
  getParams: (ctx, req) => gait.params(ctx, req),
  startTraining: (ctx, req) => jobs.startTraining(ctx, req),
  listJobs: (ctx, req) => jobs.listJobs(ctx, req),
  getJob: (ctx, req) => jobs.getJob(ctx, req.id),
  cancelJob: (ctx, req) => jobs.cancelJob(ctx, req.id),
  waitJob: (ctx, req, call) => jobs.waitJob(ctx, req, call),
  listTrainable: (ctx) => jobs.listTrainable(ctx),
  listModels: (ctx) => jobs.listModels(ctx),
  getModel: (ctx, req) => jobs.getModel(ctx, req.id),
  deleteModel: (ctx, req) => jobs.deleteModel(ctx, req.id),
  saeFeatures: (ctx, req) => sae.features(ctx, req),
  saeAkin: (ctx, req) => sae.akin(ctx, req),
  saeDictionary: (ctx, req) => saeViews.dictionary(ctx, req),
  saeLatentMap: (ctx, req) => saeViews.latentMap(ctx, req),
  explainTrial: (ctx, req) => horst.explainTrial(ctx, req),
  explainSubject: (ctx, req) => horst.explainSubject(ctx, req),
  sincpdCheckTraining: (ctx, req) => sincpd.checkTraining(ctx, req),
  sincpdPredict: (ctx, req) => sincpd.predict(ctx, req),
  fitGp: (ctx, req) => gp.fitGp(ctx, req),
  gpCompare: (ctx, req) => gp.gpCompare(ctx, req),
  gpAsymmetry: (ctx, req) => gp.gpAsymmetry(ctx, req),
  gpModelsOfSubject: (ctx, req) => gp.gpModelsOfSubject(ctx, req),
  gpSubjectView: (ctx, req) => gp.gpSubjectView(ctx, req),
  explainModel: (ctx, req, call) => horst.explainModel(ctx, req, call),
  relevanceSummary: (ctx, req) => horst.relevanceSummary(ctx, req),
  perturbModel: (ctx, req, call) => perturbModel(ctx, req, call),
  startPerturbation: (ctx, req) => startPerturbation(ctx, req),
  perturbationResult: (ctx, req) => perturbationResult(ctx, req),
  recordingStart: (ctx, req) => recording.start(ctx, req),
  recordingStop: (ctx, req) => recording.stop(ctx, req),
  recordingMark: (ctx, req) => recording.mark(ctx, req),
  recordingStatus: (ctx, req) => recording.status(ctx, req),
  sincpdExplain: (ctx, req) => sincpd.explain(ctx, req),
  recordingPorts: () => recording.ports(),
  listFormats: () => listFormats(),
  exportTrial: (ctx, req) => exportTrial(ctx, req),
  exportCohort: (ctx, req, call) => exportCohort(ctx, req, call),
  previewCohort: (ctx, req) => previewCohort(ctx, req),
  issueReport: (ctx, req, call) => reports.issueReport(ctx, req, call),
  getReport: (ctx, req) => reports.getReport(ctx, req.id),
  listReports: (ctx, req) => reports.listReports(ctx, req.subjectId),
  writeReport: (ctx, req) => writeReport(ctx, req),
  renderReport: (ctx, req) => renderReport(ctx, req),
  createSubject: (ctx, req) => records.create(ctx, req),
  editSubject: (ctx, req) => records.edit(ctx, req),
  getSubjectRecord: (ctx, req) => records.get(ctx, req),
  findSubjects: (ctx, req) => records.find(ctx, req),
  mergeSubjects: (ctx, req) => records.merge(ctx, req),
  moveSession: (ctx, req) => records.moveSessionTo(ctx, req),
  moveTrial: (ctx, req) => records.moveTrialTo(ctx, req),
  deleteSubject: (ctx, req) => records.remove(ctx, req),
  createSession: (ctx, req) => records.newSession(ctx, req),
  editSession: (ctx, req) => records.changeSession(ctx, req),
  excludeTrial: (ctx, req) => records.exclude(ctx, req),
  importVisit: (ctx, req, call) => importPaths(ctx, req.paths, call.progress, call.signal, { maxFileMb: req.maxFileMb, session: req.session, subject: req.subject }),
  createReference: (ctx, req) => references.createReference(ctx, req),
  listReferences: (ctx) => references.listReferences(ctx),
  getReference: (ctx, req) => references.getReference(ctx, req),
  exportReference: (ctx, req) => references.exportReference(ctx, req),
  importReference: (ctx, req) => references.importReference(ctx, req),
  deleteReference: (ctx, req) => references.deleteReference(ctx, req),
  gaitProfileScore: (ctx, req) => gaitGraph.gaitProfileScore(ctx, req),
  gaitGraph: (ctx, req) => gaitGraph.gaitGraph(ctx, req),
};
