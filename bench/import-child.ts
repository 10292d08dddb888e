// One import of the given paths into a fresh database, in its own process so that its peak RSS is its own.
import { statSync } from 'node:fs';
import { closeServiceContext, openServiceContext } from '../src-main/services/context';
import { importPaths } from '../src-main/services/import-service';

async function main() {
  const [dbPath, ...paths] = process.argv.slice(2);
  const ctx = openServiceContext({ dbPath, mode: 'cli' });
  const t0 = performance.now();
  const s = await importPaths(ctx, paths);
  const seconds = (performance.now() - t0) / 1000;
  ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  closeServiceContext(ctx);
  process.stdout.write(JSON.stringify({
    seconds, textBytes: s.bytes, trialsAdded: s.trialsAdded, errors: s.errors.length,
    dbBytes: statSync(dbPath).size, maxRssMB: process.resourceUsage().maxRSS / 1024,
  }) + '\n');
}
void main();
