// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { pollInterval } from './queries.js';
import { useRefreshWhenRollupEnds } from './rollup-status.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const PAGE_KEY = [['kpiHealth']];
const PROJECTS_KEY = [['kpiHealth', 'projects'], { type: 'query' }];

function Probe({ status }: { status: 'running' | 'idle' | undefined }) {
  useRefreshWhenRollupEnds(status, PAGE_KEY);
  return null;
}

describe('the KPI-health page while a rollup runs', () => {
  it('reads the page again when the rollup goes from running to idle, and not otherwise', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(PROJECTS_KEY, { projects: [] });
    const root = createRoot(document.createElement('div'));
    const render = (status: 'running' | 'idle' | undefined) =>
      act(() =>
        root.render(
          <QueryClientProvider client={queryClient}>
            <Probe status={status} />
          </QueryClientProvider>,
        ),
      );
    const invalidated = () => queryClient.getQueryState(PROJECTS_KEY)?.isInvalidated;

    render(undefined);
    render('idle');
    expect(invalidated()).toBe(false);
    render('running');
    expect(invalidated()).toBe(false);
    render('idle');
    expect(invalidated()).toBe(true);
    act(() => root.unmount());
  });

  it('polls every second while a rollup runs, every minute while idle', () => {
    expect(pollInterval(true)).toBe(1000);
    expect(pollInterval(false)).toBe(60_000);
  });
});
