import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

function readVersion(): string {
  for (const p of [resolve(__dirname, '../../package.json'), resolve(__dirname, '../../../package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'gaitlab' && pkg.version) return pkg.version;
    } catch {
      /* try the next location */
    }
  }
  return '0.0.0';
}

export const version = readVersion();
