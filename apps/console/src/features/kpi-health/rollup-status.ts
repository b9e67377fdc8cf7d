import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

/**
 * When the rollup goes from running to idle, read the page once more: the last poll may have
 * come just before the run wrote its results, and idle polling is slow.
 */
export function useRefreshWhenRollupEnds(status: 'running' | 'idle' | undefined, pageKey: QueryKey): void {
  const queryClient = useQueryClient();
  const previous = useRef(status);
  const key = JSON.stringify(pageKey);
  useEffect(() => {
    if (previous.current === 'running' && status === 'idle') void queryClient.invalidateQueries({ queryKey: JSON.parse(key) as QueryKey });
    previous.current = status;
  }, [status, queryClient, key]);
}
