// A trial's channels as the gait service gives them to a detector, read from real files through GaitLab's own
// format modules (no database): the files of one trial add up, as the import does, and gaps are filled.
import { readSourceFile } from '../../src-main/formats/source-file';
import { detectFormat } from '../../src-main/formats/registry';
import type { ImportedTrial } from '../../src-shared/domain/import-batch';
import { fillGaps } from '../../src-shared/signal/gaps';
import { plateGeometryOf, type FileEvent, type PlateGeometry, type TrialChannel, type TrialSignals } from '../../src-shared/methods';

export async function trialFromFiles(paths: string[], trialKey?: string): Promise<TrialSignals & { key: string }> {
  const channels = new Map<string, TrialChannel>();
  const fileEvents: FileEvent[] = [];
  const plates: Record<string, PlateGeometry> = {};
  let key: string | null = null;
  for (const path of paths) {
    const file = await readSourceFile(path);
    const format = detectFormat(file.name, file.bytes.subarray(0, 64 * 1024));
    if (!format) throw new Error(`${path}: no format recognises it`);
    const batch = await format.read(file);
    const trials: ImportedTrial[] = batch.sessions.flatMap((s) => s.trials).filter((t) => trialKey === undefined || t.key === trialKey);
    if (trials.length === 0) continue;
    const trial = trials[0];
    key = trial.key;
    for (const c of trial.channels) {
      const filled = fillGaps(c.samples);
      if (filled) channels.set(c.name, { name: c.name, unit: c.unit, rateHz: c.rateHz, domain: c.domain, side: c.side ?? null, values: filled.values });
    }
    for (const e of trial.events ?? []) fileEvents.push({ label: e.label, side: e.side, timeS: e.timeS });
    Object.assign(plates, plateGeometryOf(trial.attributes ?? {}));
  }
  if (key === null) throw new Error(`${paths.join(', ')}: no trial${trialKey ? ` ${trialKey}` : ''}`);
  return { key, channels, fileEvents, plates };
}
