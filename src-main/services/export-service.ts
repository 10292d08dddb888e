// Trial export: reads a stored trial, maps it onto a file format's model and writes the file. The file is
// written beside its destination and renamed into place, so a failed export leaves no half-written file.
import { createHash } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiResponse } from '../../src-shared/api/schema';
import { trialToC3d } from '../formats/c3d/trial-to-c3d';
import { writeC3d } from '../formats/c3d/write';
import { formats } from '../formats/registry';
import { readEvents } from '../store/events';
import { getTrial, readClock } from '../store/queries';
import { readChannelsForExport } from '../store/trial-export';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

export function listFormats(): ApiResponse<'listFormats'> {
  return { formats: [...formats].sort((a, b) => a.order - b.order).map((f) => ({ id: f.id, description: f.description })) };
}

export function exportTrial(ctx: ServiceContext, req: { trialId: string; format: 'c3d'; out: string }): ApiResponse<'exportTrial'> {
  const trial = getTrial(ctx.db, req.trialId);
  if (!trial) throw new ApiError('not-found', `no trial ${req.trialId}`);
  const file = resolve(req.out);
  const db = resolve(ctx.dbPath);
  if ([db, `${db}-wal`, `${db}-shm`, `${db}.audit-anchor`].includes(file)) throw new ApiError('input', `${file}: that is the database GaitLab is using; choose another file`);
  const { model, leftOut } = trialToC3d({
    subjectCode: trial.subjectCode,
    channels: readChannelsForExport(ctx.db, ctx.dbPath, trial.id),
    events: readEvents(ctx.db, trial.id).map((e) => ({ label: e.label, side: e.side, timeS: e.timeS, source: e.source, params: e.params })),
    attributes: trial.attributes,
  });
  if (model.points.length === 0 && model.analogs.length === 0) {
    throw new ApiError('input', `trial ${trial.id} (${trial.key}) has no channel C3D can hold (${leftOut.slice(0, 2).join('; ')}${leftOut.length > 2 ? '; …' : ''})`);
  }
  if (readClock(ctx.db, trial.id)) leftOut.push('device clock: C3D frames are evenly spaced at the frame rate; the trial\'s own time stamps are not written');
  const bytes = writeC3d(model, file);
  const partial = `${file}.partial-${process.pid}`;
  try {
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  } catch (e) {
    rmSync(partial, { force: true });
    throw new ApiError('input', `${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return {
    trialId: trial.id,
    format: req.format,
    file,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    points: model.points.length,
    analogs: model.analogs.length,
    plates: model.plates.length,
    events: model.events.length,
    frames: model.frameCount,
    pointRateHz: model.pointRateHz,
    analogRateHz: model.pointRateHz * model.analogSamplesPerFrame,
    leftOut,
  };
}
