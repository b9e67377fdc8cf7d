import { describe, expect, it } from 'vitest';
import { dayToX, xToDay } from '../../ui/uplot-chart.js';
import { parseSearch } from '../../ui/url-state.js';
import { chartData } from './kpi-chart.js';
import { formatAge } from './project-days.js';
import { rebuildRange } from './rebuild-range.js';
import { rollupScope } from './rollup-history.js';
import { ZKpiHealthSearch } from './search.js';

describe('the rebuild range of the trigger dialog', () => {
  it('takes both days or neither, in order, at most 366 dates, as the API does', () => {
    expect(rebuildRange('', '')).toEqual({ range: null });
    expect(rebuildRange('2026-01-01', '2026-01-31')).toEqual({ range: { startDate: '2026-01-01', endDate: '2026-01-31' } });
    expect(rebuildRange('2026-01-01', '2026-01-01')).toEqual({ range: { startDate: '2026-01-01', endDate: '2026-01-01' } });
    expect(rebuildRange('2026-01-01', '')).toEqual({ problem: expect.stringMatching(/both days/) });
    expect(rebuildRange('', '2026-01-01')).toEqual({ problem: expect.stringMatching(/both days/) });
    expect(rebuildRange('2026-01-02', '2026-01-01')).toEqual({ problem: expect.stringMatching(/not be after/) });
    // 2024 is a leap year: 2024-01-01 to 2024-12-31 holds 366 dates, one more is too many.
    expect(rebuildRange('2024-01-01', '2024-12-31')).toEqual({ range: { startDate: '2024-01-01', endDate: '2024-12-31' } });
    expect(rebuildRange('2024-01-01', '2025-01-01')).toEqual({ problem: 'The range holds 367 dates; at most 366.' });
  });
});

describe('the rollup history', () => {
  it('names each run scope', () => {
    expect(rollupScope({ projectId: null, projectName: null, startDate: null, endDate: null })).toBe('All projects, incremental');
    const project = { projectId: '6f1c7c35-7a0e-4a43-9a53-4c3b0a0b8d21', projectName: 'Lumen' };
    expect(rollupScope({ ...project, startDate: null, endDate: null })).toBe('Lumen, incremental');
    expect(rollupScope({ ...project, startDate: '2026-01-01', endDate: '2026-01-02' })).toMatch(/^Lumen, rebuild .*2026 – .*2026$/);
  });

  it('keeps its page in the URL, dropping a cursor the API would refuse', () => {
    expect(ZKpiHealthSearch.parse(parseSearch('?runsCursor=abc_-1'))).toEqual({ runsCursor: 'abc_-1' });
    expect(ZKpiHealthSearch.parse(parseSearch('?runsCursor=not%20a%20cursor'))).toEqual({ runsCursor: undefined });
  });
});

describe("a project's chart", () => {
  it('puts each local date at its UTC midnight, so the axis names the date itself', () => {
    expect(dayToX('2026-01-30')).toBe(Date.UTC(2026, 0, 30) / 1000);
    expect(xToDay(dayToX('2026-03-29'))).toBe('2026-03-29');
    const days = [
      { date: '2026-01-29', revenueCents: 100, payments: 1, leads: 3 },
      { date: '2026-01-30', revenueCents: 0, payments: 0, leads: 0 },
    ];
    expect(chartData(days)).toEqual([
      [dayToX('2026-01-29'), dayToX('2026-01-30')],
      [100, 0],
      [1, 0],
      [3, 0],
    ]);
  });

  it('says how long ago the last rollup was', () => {
    expect(formatAge(42)).toBe('42 s');
    expect(formatAge(600)).toBe('10 min');
    expect(formatAge(7200)).toBe('2 h');
    expect(formatAge(3 * 86_400)).toBe('3 d');
  });
});
