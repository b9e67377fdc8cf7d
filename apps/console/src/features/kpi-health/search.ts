import { z } from 'zod/mini';
import { searchField } from '../../ui/url-state.js';

/** The KPI health page's URL: the rollup history's page (SPEC §8.3), so a link and Back reproduce it. */
export const ZKpiHealthSearch = z.object({
  runsCursor: searchField.cursor(),
});
export type KpiHealthSearch = z.output<typeof ZKpiHealthSearch>;

export const ROLLUP_RUNS_PAGE_SIZE = 10;
/** SPEC §8.1's default, and what the chart shows. */
export const PROJECT_DAYS = 30;
