// The parse pool's workers end by themselves when it closes, even with files in hand: a worker terminated at an
// arbitrary point can be caught between creating a zlib handle and initialising it, and Node 20 then aborts the whole
// process while tearing it down (CI: Ctrl+C during `gaitlab import`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParsePool } from '../../src-main/services/parse-pool';
import { sizeLimit } from '../../src-main/formats/source-file';
import { sharedData } from '../helpers';

test('closing the pool while it decompresses and parses lets every worker finish and exit by itself (code 0, not terminated)', async () => {
  const pool = new ParsePool(2);
  const files = ['GaCo01_01.txt.gz', 'GaPt03_01.txt.gz', 'JuCo01_01.txt.gz', 'SiCo01_01.txt.gz'];
  const parses = files.map((f) => pool.parse(sharedData('gaitpdb', f), 'gaitpdb-walk', sizeLimit()).then(() => 'parsed', (e: Error) => e.message));
  await new Promise((r) => setTimeout(r, 30)); // two files in hand, two waiting
  const codes = await pool.close();
  assert.deepEqual(codes, [0, 0]);
  void parses; // the files' promises may stay pending: the import that closed the pool no longer waits for them
});
