// Issue 21, items 2, 3 and 6 through the real command: files that cannot be imported are never dropped
// silently, a decompression bomb fails fast in bounded memory, and a file's control bytes never reach
// the terminal raw.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';
import { gaitlabAsync } from './spawn';

const dir = tempDir();
const db = join(dir, 'lab.db');
const walkGz = readFileSync(sharedData('gaitpdb', 'GaCo02_01.txt.gz'));
const walk = gunzipSync(walkGz).toString('latin1');
const lines = walk.split('\r\n');
let n = 0;

function caseDir(): string {
  const folder = join(dir, `case-${n++}`);
  mkdirSync(folder);
  return folder;
}

function file(folder: string, name: string, content: string | Buffer): string {
  const p = join(folder, name);
  writeFileSync(p, content);
  return p;
}

/** A .gz whose deflate stream breaks in its first kilobyte: the header is fine, the first block is not. */
function damagedEarly(): Buffer {
  const gz = Buffer.from(walkGz);
  for (let i = 10; i < 400; i++) gz[i] ^= 0x5a;
  return gz;
}

before(() => {
  const r = gaitlab(['import', sharedData('gaitpdb', 'GaCo01_01.txt.gz'), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
});

/** Named files that cannot be imported: exit 1, one line per file naming it and why, nothing stored. */
function expectErrors(paths: string[], messages: RegExp[], extra: string[] = []): void {
  const before = dbFingerprint(db);
  const r = gaitlab(['import', ...paths, ...extra, '--db', db]);
  assert.equal(r.code, 1, `exit code; stdout ${r.stdout} stderr ${r.stderr}`);
  const errors = r.stderr.trim().split('\n');
  assert.equal(errors.length, messages.length, r.stderr);
  messages.forEach((m, i) => assert.match(errors[i], m));
  assert.equal(dbFingerprint(db), before, 'database changed');
}

test('a named empty file is an error naming it', () => {
  const p = file(caseDir(), 'GaCo09_01.txt', '');
  expectErrors([p], [/^error: \S*GaCo09_01\.txt: the file is empty$/]);
});

test('a named file of no known format is an error naming it', () => {
  const f = caseDir();
  expectErrors([file(f, 'notes.txt', 'Patient walked well today.\n'), file(f, 'blob.bin', Buffer.from([0, 1, 2, 3, 255, 254]))],
    [/^error: \S*notes\.txt: not a recognised format$/, /^error: \S*blob\.bin: not a recognised format$/]);
});

test('a .gz damaged within its first kilobytes is an error, named on the command line or inside a folder', () => {
  const f = caseDir();
  const p = file(f, 'GaCo09_01.txt.gz', damagedEarly());
  expectErrors([p], [/^error: \S*GaCo09_01\.txt\.gz: damaged gzip data \(.+\)$/]);
  expectErrors([f], [/^error: \S*GaCo09_01\.txt\.gz: damaged gzip data \(.+\)$/]);
  // Not gzip at all under a .gz name: damaged too, never read as something else.
  const plain = file(caseDir(), 'GaCo09_02.txt.gz', walk);
  expectErrors([plain], [/^error: \S*GaCo09_02\.txt\.gz: damaged gzip data \(no gzip header\)$/]);
});

test('inside a folder, empty and unrecognised files are listed by name and reason, and the rest is imported', () => {
  const f = caseDir();
  file(f, 'notes.txt', 'Patient walked well today.\n');
  file(f, 'empty.txt', '');
  file(f, 'GaCo02_01.txt.gz', walkGz);
  const r = gaitlab(['import', f, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout.split('\n');
  assert.ok(out.includes(`skipped: ${join(f, 'empty.txt')}: the file is empty`), r.stdout);
  assert.ok(out.includes(`skipped: ${join(f, 'notes.txt')}: not a recognised format`), r.stdout);
  assert.match(r.stdout, /trials 1 \(1 new\)/);
  assert.match(r.stdout, /files 1 read, 0 already present, 2 skipped, 0 errors/);
});

/**
 * A real walk followed by `gib` GiB of '0' characters, as one gzip member built block by block (each
 * 64 MiB flushed whole, so the blocks repeat) with its real CRC and length: a 2 GiB bomb is ~3 MB and is
 * detected as a gaitpdb walk. With `tail`, a small second member follows, so the trailer's length no
 * longer tells the truth and only inflating can find the size.
 */
function bomb(gib: number, tail = false): Buffer {
  const text = Buffer.from(walk, 'latin1');
  const filler = Buffer.alloc(64 << 20, '0');
  const block = deflateRawSync(filler, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const count = gib * 16;
  let crc = crc32(text);
  for (let i = 0; i < count; i++) crc = crc32(filler, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((text.length + count * filler.length) % 2 ** 32, 4);
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
  const first = deflateRawSync(text, { finishFlush: constants.Z_FULL_FLUSH });
  const end = deflateRawSync(Buffer.alloc(0)); // an empty final block
  const parts = [header, first, ...Array.from({ length: count }, () => block), end, trailer];
  if (tail) parts.push(gzipSync(Buffer.from('0\t0\n')));
  return Buffer.concat(parts);
}

test('a decompression bomb fails fast, in bounded memory, with one line naming the file and the limit', async () => {
  const f = caseDir();
  const honest = file(f, 'big.txt.gz', bomb(2));
  const lying = file(f, 'bigger.txt.gz', bomb(2, true));
  // The bomb is real: its first 400 kB inflate to more than 60 MB.
  assert.ok(gunzipSync(readFileSync(honest).subarray(0, 400_000), { finishFlush: constants.Z_SYNC_FLUSH }).length > 60_000_000);
  const before = dbFingerprint(db);
  for (const [path, args, limitMiB] of [
    [honest, [], null], // the trailer says 2 GiB: refused before inflating
    [honest, ['--max-file-mb', '1024'], 1024],
    [lying, [], null], // the trailer lies: refused once ~90 MiB (40 times its size) have inflated
    [lying, ['--max-file-mb', '256'], 256],
  ] as const) {
    const started = performance.now();
    const r = await gaitlabAsync(['import', path, ...args, '--db', db], {}, join(dir, 'time.txt'));
    const seconds = (performance.now() - started) / 1000;
    console.log(`# bomb ${path.split('/').pop()} ${args.join(' ') || '(default limit)'}: ${seconds.toFixed(2)} s, peak RSS ${((r.rssKb ?? 0) / 1024).toFixed(0)} MiB: ${r.stderr.trim()}`);
    assert.equal(r.code, 1, r.stderr);
    const name = path.split('/').pop()!.replace(/\./g, '\\.');
    const limit = limitMiB === null ? '\\d+' : String(limitMiB);
    assert.match(r.stderr, new RegExp(`^error: \\S*${name}: inflates past the ${limit} MiB limit \\(set --max-file-mb to raise it\\)\\n$`));
    // What was inflated before the limit is all the memory it may take (tsx and the workers: ~250 MiB).
    assert.ok(r.rssKb !== null && r.rssKb < (limitMiB ?? 100) * 1024 * 2 + 400 * 1024, `peak RSS ${r.rssKb} kB`);
  }
  assert.equal(dbFingerprint(db), before);
});

test('the limit is configurable: --max-file-mb and GAITLAB_MAX_FILE_MB, for .gz and plain files', () => {
  const f = caseDir();
  const gz = file(f, 'GaCo02_01.txt.gz', walkGz); // 1.1 MB of text
  const plain = file(caseDir(), 'GaCo02_01.txt', walk);
  expectErrors([gz], [/^error: \S*GaCo02_01\.txt\.gz: inflates past the 1 MiB limit \(set --max-file-mb to raise it\)$/], ['--max-file-mb', '1']);
  const r = gaitlab(['import', plain, '--db', db], { GAITLAB_MAX_FILE_MB: '1' });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `error: ${plain}: is 2 MiB, past the 1 MiB limit (set --max-file-mb to raise it)\n`);
  const ok = gaitlab(['import', gz, '--max-file-mb', '2', '--db', db, '--json'], { GAITLAB_MAX_FILE_MB: '1' });
  assert.equal(ok.code, 0, ok.stderr);
  const bad = gaitlab(['import', gz, '--db', db], { GAITLAB_MAX_FILE_MB: 'lots' });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'gaitlab: GAITLAB_MAX_FILE_MB: expected a whole number of MiB, found "lots"\n');
});

test('control bytes from a file reach the terminal escaped, in the error line and in the JSON summary', () => {
  // ESC [2J clears a terminal, BEL rings it, 0x9b is the one-byte CSI of C1 (latin1 text).
  const evil = lines.map((l, i) => (i === 42 ? l.split('\t').map((v, k) => (k === 5 ? '\u001b[2J\u0007\u009b31m' : v)).join('\t') : l)).join('\r\n');
  const p = file(caseDir(), 'GaCo09_01.txt', Buffer.from(evil, 'latin1'));
  const r = gaitlab(['import', p, '--db', db, '--json']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `error: ${p} line 43 field L5: not a finite number: "\\x1b[2J\\x07\\x9b31m"\n`);
  assert.doesNotMatch(r.stderr + r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  assert.equal(r.json.import.errors[0].message, `${p} line 43 field L5: not a finite number: "\\x1b[2J\\x07\\x9b31m"`);
  // A file name with an escape in it is shown escaped too.
  const named = file(caseDir(), 'notes\u001b]0;pwned\u0007.txt', 'hello\n');
  const q = gaitlab(['import', named, '--db', db]);
  assert.equal(q.code, 1);
  assert.match(q.stderr, /^error: \S*notes\\x1b\]0;pwned\\x07\.txt: not a recognised format\n$/);
});
