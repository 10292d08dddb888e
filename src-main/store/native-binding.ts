import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Inside Electron, better-sqlite3 must be the build for Electron's ABI, kept apart from node_modules'
 * Node build (scripts/rebuild-electron.mjs writes it; the package ships it in resources/native).
 * Under plain Node this is undefined and better-sqlite3 loads its own build.
 */
export function sqliteNativeBinding(): string | undefined {
  if (!process.versions.electron) return undefined;
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    process.env.GAITLAB_SQLITE_BINDING,
    packaged ? join(packaged, 'native', 'better_sqlite3.node') : undefined,
    resolve(__dirname, '../../../.electron-native/better_sqlite3.node'),
    resolve(__dirname, '../../.electron-native/better_sqlite3.node'),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}
