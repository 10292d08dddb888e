// What every page may need from the shell: the app info, a way to say the data changed, the import dialog.
import { createContext, useContext } from 'react';
import type { AppInfo } from '../src-shared/api/schema';

export interface AppContextValue {
  info: AppInfo | null;
  /** Bumped after every import or demo load; pages that list data reload when it changes. */
  dataVersion: number;
  /** Call after anything that changed the database: refreshes the counts and the lists. */
  dataChanged(): void;
  openImport(): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
