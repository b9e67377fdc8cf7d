import { createDatabase } from '@runhub/db';
import { createRollupCoordinator } from '@runhub/router';
import { boundHeapGrowth, createApp, createLogger } from '@runhub/server';
import { childSetting, serveAsChild } from './child.js';

// The real app, configured as `apps/server/src/main.ts` configures it with DATABASE_URL set: the
// default pool and statement timeout, and one JSON log line per request at `info` (the bench sends
// the child's stdout to /dev/null, so the lines are written and dropped, as a log shipper would take them).
// The rollup is created but its scheduler is not started, so no rollup runs during the load.
// With BENCH_CHILD_METRICS=off the app has no metrics at all (no request timing, no /metrics): the
// baseline that the metrics' cost on the hot path is measured against. The heap is bounded as main.ts bounds it.
boundHeapGrowth();
const db = createDatabase({ url: childSetting('BENCH_CHILD_DATABASE_URL'), statementTimeoutMs: 5000 });
const app = createApp({
  db,
  rollup: createRollupCoordinator(db),
  auth: { adminTokens: [childSetting('BENCH_CHILD_ADMIN_TOKEN')], sessionSecrets: [] },
  logger: createLogger('info'),
  ...(process.env.BENCH_CHILD_METRICS === 'off' ? { metrics: false } : {}),
});
serveAsChild(app.fetch);
