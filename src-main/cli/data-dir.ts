import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user data folder, the same one Electron's app.getPath('userData') gives for "GaitLab". */
export function userDataDir(): string {
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'GaitLab');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'GaitLab');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'GaitLab');
}

/** `--db` wins, then `GAITLAB_DB`, then the per-user default. */
export function resolveDbPath(flag: string | undefined): string {
  return flag ?? process.env.GAITLAB_DB ?? join(userDataDir(), 'gaitlab.db');
}
