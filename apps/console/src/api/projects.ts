import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './client.js';

/**
 * Every project with its name and currency, for the project filters and for money in the
 * project's currency. `kpiHealth.projects` is the API's one list of all projects.
 */
export function useProjects() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.kpiHealth.projects.queryOptions(), staleTime: 60_000 });
}
