// Shared by the wearable importer tests: where the real data sets are, SourceFiles made from bytes, a seeded RNG,
// the shape every batch must have, and the fuzz loop (truncated / mutated corpus files → InputError or a valid batch).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ImportBatch } from '../../../src-shared/domain/import-batch';
import { InputError } from '../../../src-shared/domain/errors';
import type { SourceFile } from '../../../src-main/formats/format';
import { seededRandom } from '../../helpers';

/** ../shared/data beside the checkout: the real files, read in place, never copied. */
export const DATA = path.resolve(__dirname, '../../../../shared/data');
export const data = (...parts: string[]) => path.join(DATA, ...parts);

export function sourceOf(bytes: Buffer, name: string, filePath = `/in/${name}`): SourceFile {
  return { path: filePath, name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}


export function mean(a: ArrayLike<number>): number {
  let s = 0, n = 0;
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i])) { s += a[i]; n++; }
  return s / n;
}

export function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

/** Runs `fn` and checks it throws an InputError for `file` with the given line, field and reason. */
export async function assertInputError(fn: () => unknown, expected: { file: string; line?: number | null; field?: string | null; reason?: RegExp }): Promise<InputError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${(e as Error).name}: ${(e as Error).message}`);
    assert.equal(e.file, expected.file);
    if (expected.line !== undefined) assert.equal(e.line, expected.line, e.message);
    if (expected.field !== undefined) assert.equal(e.field, expected.field, e.message);
    if (expected.reason) assert.match(e.reason, expected.reason);
    return e;
  }
  assert.fail('expected an InputError, nothing was thrown');
}

/** The shape every batch must have, whatever the input: what the import service relies on. */
export function assertValidBatch(batch: ImportBatch, opts: { allowNoChannels?: boolean } = {}): void {
  assert.ok(typeof batch.format === 'string' && batch.format.length > 0);
  assert.ok(Array.isArray(batch.warnings) && batch.warnings.every((w) => typeof w === 'string'));
  const subjects = new Set(batch.subjects.map((s) => s.key));
  for (const s of batch.subjects) assert.ok(s.key.length > 0 && s.cohort.length > 0);
  assert.ok(batch.sessions.length > 0);
  for (const session of batch.sessions) {
    assert.ok(subjects.has(session.subjectKey), `session of unknown subject ${session.subjectKey}`);
    for (const trial of session.trials) {
      assert.match(trial.contentSha256, /^[0-9a-f]{64}$/);
      if (!opts.allowNoChannels) assert.ok(trial.channels.length > 0, 'a trial without channels');
      const names = new Set<string>();
      for (const c of trial.channels) {
        assert.ok(!names.has(c.name), `channel ${c.name} twice`);
        names.add(c.name);
        assert.equal(typeof c.unit, 'string');
        assert.ok(c.samples instanceof Float32Array && c.samples.length > 0, `${c.name}: no samples`);
        if (c.domain === 'time') assert.ok(c.rateHz !== null && Number.isFinite(c.rateHz) && c.rateHz > 0, `${c.name}: rate ${c.rateHz}`);
        if (trial.deviceTimeS) assert.equal(c.samples.length, trial.deviceTimeS.length, `${c.name}: samples vs clock`);
      }
      if (trial.deviceTimeS) {
        for (let i = 1; i < trial.deviceTimeS.length; i++) assert.ok(trial.deviceTimeS[i] > trial.deviceTimeS[i - 1], 'clock not increasing');
      }
      for (const e of trial.events ?? []) assert.ok(Number.isFinite(e.timeS) && e.label.length > 0 && e.source.length > 0);
      for (const [k, v] of Object.entries(trial.attributes ?? {})) {
        assert.ok(v.value === null || typeof v.value === 'string' || Number.isFinite(v.value), `attribute ${k}`);
      }
    }
  }
}

/**
 * A damaged copy of one corpus file: cut short, bytes changed (often into digits, separators or line ends), or spliced.
 * With `within`, half the changed bytes fall in the first `within` bytes.
 */
export function mutate(bytes: Buffer, random: () => number, within = bytes.length): Buffer {
  const pick = random();
  if (pick < 0.25) return Buffer.from(bytes.subarray(0, Math.floor(random() * bytes.length)));
  const out = Buffer.from(bytes);
  const alphabet = Buffer.from('0123456789-+.eE\t \n\r,;:NaIfy[]{}"/');
  for (let k = 0, n = 1 + Math.floor(random() * 6); k < n; k++) {
    const at = Math.floor(random() * (random() < 0.5 ? Math.min(within, out.length) : out.length));
    const how = random();
    if (how < 0.4) out[at] = alphabet[Math.floor(random() * alphabet.length)];
    else if (how < 0.7) out[at] = Math.floor(random() * 256);
    else out[at] ^= 1 << Math.floor(random() * 8);
  }
  if (pick > 0.9) {
    // Splice: drop or repeat a stretch.
    const a = Math.floor(random() * out.length), b = Math.min(out.length, a + Math.floor(random() * 200));
    return random() < 0.5 ? Buffer.concat([out.subarray(0, a), out.subarray(b)]) : Buffer.concat([out.subarray(0, b), out.subarray(a)]);
  }
  return out;
}

/**
 * Feeds `rounds` damaged copies of the corpus to `read`. Each must give a valid batch or an InputError that names
 * the file; any other error fails the test with the round number (replay with the same seed).
 */
export async function fuzz(read: (file: SourceFile) => ImportBatch | Promise<ImportBatch>, corpus: { name: string; bytes: Buffer }[], rounds: number, seed: number,
  opts: { allowNoChannels?: boolean; mutateWithin?: number } = {}): Promise<{ ok: number; inputErrors: number }> {
  const random = seededRandom(seed);
  let ok = 0, inputErrors = 0;
  for (let round = 0; round < rounds; round++) {
    const source = corpus[round % corpus.length];
    const bytes = mutate(source.bytes, random, opts.mutateWithin);
    const file = sourceOf(bytes, source.name, `/fuzz/${source.name}`);
    let batch: ImportBatch;
    try {
      batch = await read(file);
    } catch (e) {
      if (!(e instanceof InputError)) assert.fail(`round ${round} (seed ${seed}, ${source.name}): ${(e as Error).name}: ${(e as Error).message}`);
      assert.equal(e.file, file.path, `round ${round}: the error names another file`);
      inputErrors++;
      continue;
    }
    try {
      assertValidBatch(batch, opts);
    } catch (e) {
      assert.fail(`round ${round} (seed ${seed}, ${source.name}): invalid batch: ${(e as Error).message}`);
    }
    ok++;
  }
  return { ok, inputErrors };
}

export { seededRandom };
