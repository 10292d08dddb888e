// Reading a source file: `.gz` inflated as a stream under a size limit, hashed as it comes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { inflatedLimitBytes, readHead, readSourceFile, sizeLimit } from '../../src-main/formats/source-file';
import { InputError } from '../../src-shared/domain/errors';
import { sharedData, tempDir } from '../helpers';

const MIB = 1024 * 1024;

test('a .gz is inflated whole and hashed on its content, multi-member streams included', async () => {
  const path = sharedData('gaitpdb', 'GaCo01_01.txt.gz');
  const text = gunzipSync(readFileSync(path));
  const f = await readSourceFile(path);
  assert.equal(f.name, 'GaCo01_01.txt');
  assert.ok(f.bytes.equals(text));
  assert.equal(f.sha256, createHash('sha256').update(text).digest('hex'));
  // gzip allows members one after another (cat a.gz b.gz): the content is both.
  const two = join(tempDir(), 'two.txt.gz');
  writeFileSync(two, Buffer.concat([gzipSync('first\n'), gzipSync('second\n')]));
  assert.equal((await readSourceFile(two)).bytes.toString(), 'first\nsecond\n');
});

test('the limit: 1024 MiB by default, at most 40× a .gz (64 MiB at least); an explicit limit has no ratio', () => {
  assert.deepEqual(sizeLimit(undefined, {}), { maxFileMb: 1024, explicit: false });
  assert.deepEqual(sizeLimit(undefined, { GAITLAB_MAX_FILE_MB: '50' }), { maxFileMb: 50, explicit: true });
  assert.deepEqual(sizeLimit(7, { GAITLAB_MAX_FILE_MB: '50' }), { maxFileMb: 7, explicit: true });
  assert.throws(() => sizeLimit(undefined, { GAITLAB_MAX_FILE_MB: '0' }), /^Error: GAITLAB_MAX_FILE_MB: expected a whole number of MiB, found "0"$/);
  assert.equal(inflatedLimitBytes(300_000, sizeLimit(undefined, {})), 64 * MIB);
  assert.equal(inflatedLimitBytes(10 * MIB, sizeLimit(undefined, {})), 400 * MIB);
  assert.equal(inflatedLimitBytes(100 * MIB, sizeLimit(undefined, {})), 1024 * MIB);
  assert.equal(inflatedLimitBytes(1 * MIB, { maxFileMb: 2048, explicit: true }), 2048 * MIB);
});

test('a stream that inflates past the limit, and one damaged early, are InputErrors naming the file', async () => {
  const dir = tempDir();
  const big = join(dir, 'big.txt.gz');
  writeFileSync(big, gzipSync(Buffer.alloc(3 * MIB, 'x')));
  await assert.rejects(readSourceFile(big, { maxFileMb: 2, explicit: true }),
    (e: unknown) => e instanceof InputError && e.message === `${big}: inflates past the 2 MiB limit (set --max-file-mb to raise it)`);
  assert.equal((await readSourceFile(big, { maxFileMb: 3, explicit: true })).bytes.length, 3 * MIB);
  const bad = join(dir, 'bad.txt.gz');
  const gz = gzipSync(readFileSync(sharedData('gaitpdb', 'format.txt')));
  for (let i = 12; i < 60; i++) gz[i] ^= 0xff;
  writeFileSync(bad, gz);
  assert.throws(() => readHead(bad), (e: unknown) => e instanceof InputError && /^.*bad\.txt\.gz: damaged gzip data \(.+\)$/.test(e.message));
  await assert.rejects(readSourceFile(bad), (e: unknown) => e instanceof InputError && /bad\.txt\.gz: damaged gzip data \(.+\)$/.test(e.message));
});
