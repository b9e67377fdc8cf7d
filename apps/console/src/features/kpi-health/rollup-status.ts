import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { useTRPC } from '../../api/client.js';
import { kpiHealthPathKey } from './queries.js';

/**
 * When the rollup goes from running to idle, read the page once more: the last poll may have
 * come just before the run wrote its results, and idle polling is slow.
 */
export function useRefreshWhenRollupEnds(trpc: ReturnType<typeof useTRPC>, status: 'running' | 'idle' | undefined): void {
  const queryClient = useQueryClient();
  const previous = useRef(status);
  useEffect(() => {
    if (previous.current === 'running' && status === 'idle') void queryClient.invalidateQueries({ queryKey: kpiHealthPathKey(trpc) });
    previous.current = status;
  }, [status, queryClient, trpc]);
}
