// Part 2: bad inputs, one `gaitlab import <file>` each, into a database that already holds a walk. Each must
// give exit 1, exactly one stderr line naming the file, no raw control byte on stderr, and a database whose
// bytes (and WAL's) are what they were. The files are seeded mutations of real files of five formats, plus
// empty files, gzip bombs and control bytes in a line.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { bump, DATA, dbFingerprint, gaitlab, tally, type Battery, type Row } from './cli';

interface Case { kind: string; how: string; name: string; bytes: Buffer }

/** Raw C0 (except tab, which the message may not carry either but a file's text may), DEL and C1 on stderr. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];
const between = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo));

/** Values no numeric field may take; `1e999` parses, to Infinity. */
const JUNK = ['x', '1.2.3', 'NaN', 'Inf', '-Infinity', '1e999', '--5', '12,5', '0x', ''] as const;
/** ESC [2J clears a terminal, BEL rings it, U+009B is C1's one-byte CSI, NUL ends C strings. */
const CONTROLS = ['\u001b[2J', '\u0007', '\u009b31m', '\u0000', '\u001b]0;pwned\u0007', '\r\u001b[K'] as const;

/** A text file of `sep`-separated numeric lines, changed in one seeded way that makes it invalid. */
function mutateLines(random: () => number, lines: string[], sep: string, eol: string, first: number): { how: string; text: string } {
  const i = between(random, first, lines.length - 1);
  const fields = lines[i].split(sep);
  const k = between(random, 1, fields.length);
  const out = [...lines];
  const how = pick(random, ['cut', 'junk', 'missing', 'extra', 'control'] as const);
  switch (how) {
    case 'cut': // the file ends in the middle of a line (a copy that did not finish)
      return { how: `cut in line ${i + 1}`, text: lines.slice(0, i).join(eol) + eol + lines[i].slice(0, Math.max(1, lines[i].indexOf(sep) + 1)) };
    case 'junk':
      fields[k] = pick(random, JUNK);
      out[i] = fields.join(sep);
      return { how: `"${fields[k]}" in line ${i + 1} field ${k + 1}`, text: out.join(eol) };
    case 'missing':
      fields.splice(k, 1);
      out[i] = fields.join(sep);
      return { how: `field ${k + 1} of line ${i + 1} missing`, text: out.join(eol) };
    case 'extra':
      out[i] = lines[i] + sep + '12.5';
      return { how: `an extra field in line ${i + 1}`, text: out.join(eol) };
    case 'control': {
      const c = pick(random, CONTROLS);
      fields[k] = fields[k] + c;
      out[i] = fields.join(sep);
      return { how: `control bytes ${JSON.stringify(c)} in line ${i + 1}`, text: out.join(eol) };
    }
  }
}

/**
 * A real walk followed by `gib` GiB of '0' as one gzip member (64 MiB blocks flushed whole, so they repeat)
 * with its real CRC and length: ~1.5 MB per GiB. With `tail`, a small second member makes the trailer lie,
 * so only inflating can find the size.
 */
function gzipBomb(walk: Buffer, gib: number, tail: boolean): Buffer {
  const filler = Buffer.alloc(64 << 20, '0');
  const block = deflateRawSync(filler, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const count = gib * 16;
  let crc = crc32(walk);
  for (let i = 0; i < count; i++) crc = crc32(filler, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((walk.length + count * filler.length) % 2 ** 32, 4);
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
  const parts = [header, deflateRawSync(walk, { finishFlush: constants.Z_FULL_FLUSH }), ...Array.from({ length: count }, () => block), deflateRawSync(Buffer.alloc(0)), trailer];
  if (tail) parts.push(gzipSync(Buffer.from('0\t0\n')));
  return Buffer.concat(parts);
}

function makeCases(random: () => number, mutations: number): Case[] {
  const walkGz = readFileSync(join(DATA, 'gaitpdb', 'GaCo02_01.txt.gz'));
  const walk = gunzipSync(walkGz);
  const walkLines = walk.toString('latin1').split('\r\n');
  const c3d = readFileSync(join(DATA, 'c3d-samples', 'sample01', 'Eb015pi.c3d'));
  const asc = readFileSync(join(DATA, 'forceplate-file-formats', 'amti-asc', 'Trial1-FxFyFzMxMyMz.asc'));
  const ascLines = asc.toString('latin1').replace(/\r\n$/, '').split('\r\n');
  const mat = readFileSync(join(DATA, 'slijepcevic2021-clinical-grf-mat', '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2-3-4_shearzero_.mat'));

  const cases: Case[] = [
    { kind: 'zero-length', how: 'walk .txt', name: 'GaCo09_01.txt', bytes: Buffer.alloc(0) },
    { kind: 'zero-length', how: 'walk .txt.gz', name: 'GaCo09_02.txt.gz', bytes: Buffer.alloc(0) },
    { kind: 'zero-length', how: '.c3d', name: 'empty.c3d', bytes: Buffer.alloc(0) },
    { kind: 'zero-length', how: '.asc', name: 'empty.asc', bytes: Buffer.alloc(0) },
    { kind: 'zero-length', how: '.mat', name: 'empty.mat', bytes: Buffer.alloc(0) },
    { kind: 'gzip bomb', how: '2 GiB, honest trailer', name: 'GaCo10_01.txt.gz', bytes: gzipBomb(walk, 2, false) },
    { kind: 'gzip bomb', how: '2 GiB, lying trailer', name: 'GaCo10_02.txt.gz', bytes: gzipBomb(walk, 2, true) },
  ];
  const kinds = ['walk .txt', 'walk .txt.gz', 'c3d', 'amti .asc', '.mat'] as const;
  for (let m = 0; m < mutations; m++) {
    const kind = kinds[m % kinds.length];
    const n = String(11 + m).padStart(2, '0');
    switch (kind) {
      case 'walk .txt': {
        const { how, text } = mutateLines(random, walkLines, '\t', '\r\n', 0);
        cases.push({ kind, how, name: `GaCo${n}_01.txt`, bytes: Buffer.from(text, 'latin1') });
        break;
      }
      case 'walk .txt.gz': {
        const way = pick(random, ['truncated', 'flipped', 'mutated text'] as const);
        let bytes: Buffer;
        let how: string;
        if (way === 'truncated') {
          const at = between(random, 10, walkGz.length - 1);
          bytes = walkGz.subarray(0, at);
          how = `cut at byte ${at} of ${walkGz.length}`;
        } else if (way === 'flipped') {
          // Past the 10-byte header, any changed byte breaks the deflate stream, the CRC or the length.
          const at = between(random, 10, walkGz.length);
          bytes = Buffer.from(walkGz);
          bytes[at] ^= 1 + between(random, 0, 255);
          how = `byte ${at} changed`;
        } else {
          const mutated = mutateLines(random, walkLines, '\t', '\r\n', 0);
          bytes = gzipSync(Buffer.from(mutated.text, 'latin1'));
          how = `gzip of a walk with ${mutated.how}`;
        }
        cases.push({ kind, how, name: `GaCo${n}_02.txt.gz`, bytes });
        break;
      }
      case 'c3d': {
        const way = pick(random, ['truncated', 'parameter pointer', 'magic'] as const);
        const bytes = Buffer.from(c3d);
        let how: string;
        let out = bytes;
        if (way === 'truncated') {
          const at = between(random, 16, c3d.length - 512);
          out = bytes.subarray(0, at);
          how = `cut at byte ${at} of ${c3d.length}`;
        } else if (way === 'parameter pointer') {
          bytes[0] = pick(random, [0, 200, 255]); // the parameter section's first block: none, or past the end
          how = `parameter section at block ${bytes[0]}`;
        } else {
          bytes[1] = pick(random, [0x00, 0x51, 0xff]); // 0x50 marks a C3D
          how = `key byte 0x${bytes[1].toString(16)}`;
        }
        cases.push({ kind, how, name: `trial${n}.c3d`, bytes: out });
        break;
      }
      case 'amti .asc': {
        const { how, text } = mutateLines(random, ascLines, ',', '\r\n', 2);
        cases.push({ kind, how, name: `plate${n}.asc`, bytes: Buffer.from(text + '\r\n', 'latin1') });
        break;
      }
      case '.mat': {
        const at = between(random, 200, mat.length - 1);
        cases.push({ kind, how: `cut at byte ${at} of ${mat.length}`, name: `grf${n}.mat`, bytes: mat.subarray(0, at) });
        break;
      }
    }
  }
  return cases;
}

export async function badInputBattery(b: Battery, mutations: number): Promise<Row[]> {
  const db = join(b.work, 'bad-inputs.db');
  const seed = await gaitlab(b, ['import', join(DATA, 'gaitpdb', 'GaCo01_01.txt.gz'), '--db', db, '--json']);
  if (seed.code !== 0) throw new Error(`could not make the database for the bad inputs: ${seed.stderr.trim()}`);
  const cases = makeCases(b.random, mutations);
  const byKind = new Map<string, { tried: number; held: number; deviations: Map<string, number> }>();
  const failures: string[] = [];
  let stderrControl = 0;
  let changed = 0;
  for (const [i, c] of cases.entries()) {
    const folder = join(b.work, 'bad', String(i));
    mkdirSync(folder, { recursive: true });
    const path = join(folder, c.name);
    writeFileSync(path, c.bytes);
    const before = dbFingerprint(db);
    const r = await gaitlab(b, ['import', path, '--db', db]);
    const lines = r.stderr.replace(/\n$/, '').split('\n');
    const problems: string[] = [];
    if (r.code !== 1) problems.push(`exit ${r.code ?? r.signal}`);
    if (r.stderr === '' || lines.length !== 1) problems.push(`${r.stderr === '' ? 0 : lines.length} stderr lines`);
    else if (!lines[0].includes(c.name)) problems.push('file not named');
    if (RAW_CONTROL.test(r.stderr)) { problems.push('raw control byte'); stderrControl++; }
    if (dbFingerprint(db) !== before) { problems.push('database changed'); changed++; }
    const k = byKind.get(c.kind) ?? { tried: 0, held: 0, deviations: new Map() };
    byKind.set(c.kind, k);
    k.tried++;
    if (problems.length === 0) k.held++;
    else {
      for (const p of problems) bump(k.deviations, p);
      failures.push(`${c.kind} (${c.how}): ${problems.join(', ')}: ${r.stderr.trim().split('\n')[0] ?? ''}`.slice(0, 300));
    }
  }
  for (const f of failures.slice(0, 8)) console.error(`  ! ${f}`);
  const held = [...byKind.values()].reduce((s, k) => s + k.held, 0);
  return [
    ...[...byKind].map(([kind, k]) => ({
      section: 'bad input', what: kind, count: `${k.held}/${k.tried}`,
      outcome: k.held === k.tried ? 'exit 1, one line naming the file, db unchanged' : tally(k.deviations), ok: k.held === k.tried,
    })),
    { section: 'bad input', what: 'all bad inputs (seeded)', count: `${held}/${cases.length}`, outcome: `${changed} changed the database, ${stderrControl} put a raw control byte on stderr`, ok: held === cases.length },
  ];
}
