import { createContext, useContext } from 'react';
import type { RunWrite } from './runs-table.js';

/** The page's retry/cancel dialog, opened from a child route too (the run detail). */
export const RunWriteContext = createContext<((write: RunWrite) => void) | null>(null);

export function useRunWrite(): ((write: RunWrite) => void) | null {
  return useContext(RunWriteContext);
}
