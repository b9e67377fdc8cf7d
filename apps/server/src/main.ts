import { createDatabase, describeDatabase, migrateToLatest } from '@runhub/db';
import { seedDemo } from '@runhub/demo';
import { createRollupCoordinator } from '@runhub/router';
import { sql } from 'kysely';
import { loadOrCreateLocalAdminToken } from './admin-token.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ConsoleBuildMissingError, loadConsoleFiles, resolveConsoleDir } from './console/files.js';
import { CONSOLE_HOME } from './console/mount.js';
import { boundHeapGrowth } from './heap.js';
import { serveApp } from './http-server.js';
import { createLogger, errorFields } from './logger.js';
import { createServerMetrics } from './metrics/server-metrics.js';
import { startRollupScheduler } from './rollup-scheduler.js';
import { startupBanner } from './startup-banner.js';

const SHUTDOWN_GRACE_MS = 10_000;
/** A first full rebuild of a large project takes far longer than any request may. */
const ROLLUP_STATEMENT_TIMEOUT_MS = 10 * 60_000;

async function main(): Promise<void> {
  boundHeapGrowth();
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const embedded = !config.databaseUrl;
  // Before any database work: a missing build stops the start at once, saying how to fix it.
  const consoleFiles = config.consoleEnabled ? loadConsoleFiles(resolveConsoleDir()) : undefined;

  if (!embedded && config.adminTokens.length === 0 && config.sessionSecrets.length === 0) {
    throw new ConfigError(
      'Refusing to start: DATABASE_URL is set but neither ADMIN_TOKEN nor SESSION_SECRET is, so no one could authenticate. Set at least one.',
    );
  }
  let generated: { token: string; file: string } | undefined;
  if (embedded && config.adminTokens.length === 0) {
    generated = loadOrCreateLocalAdminToken(config.dataDir);
    config.adminTokens.push(generated.token);
  }

  const databaseConfig = {
    url: config.databaseUrl,
    dataDir: config.dataDir,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    onConnectionError: (error: Error) => logger.warn('database connection lost', errorFields(error)),
  };
  const db = createDatabase(databaseConfig);
  const where = describeDatabase(databaseConfig);
  await migrateToLatest(db);
  logger.info('database ready', { database: where });

  if (embedded) {
    const { n } = await db.selectFrom('projects').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    if (n === 0) {
      logger.info('empty embedded database: loading demo data');
      const summary = await seedDemo(db, { intervalMinutes: config.rollupIntervalMinutes });
      logger.info('demo data loaded', { ...summary });
    }
  }

  // On PostgreSQL the rollup gets its own small pool without the request-sized timeouts; the embedded
  // database is one in-process instance and must stay one handle.
  const rollupDb = embedded ? db : createDatabase({ ...databaseConfig, statementTimeoutMs: ROLLUP_STATEMENT_TIMEOUT_MS, poolSize: 2 });
  const metrics = createServerMetrics({
    db,
    settings: { intervalMinutes: config.rollupIntervalMinutes, staleAfterMinutes: config.kpiStaleAfterMinutes },
    onGaugeError: (error) => logger.warn('metrics gauges could not be read', errorFields(error)),
  });
  const rollup = createRollupCoordinator(rollupDb, {
    intervalMinutes: config.rollupIntervalMinutes,
    statementTimeoutMs: ROLLUP_STATEMENT_TIMEOUT_MS,
    staleAfterMinutes: config.kpiStaleAfterMinutes,
    onError: (error) => logger.warn('KPI rollup could not run', errorFields(error)),
    onRunFinished: (run) => {
      metrics.recordRollupRun(run);
      if (run.error) logger.warn('KPI rollup finished with errors', { ...run });
      else logger.info('KPI rollup finished', { ...run });
    },
  });
  const scheduler = startRollupScheduler(rollup, { logger, onBeat: (outcome) => metrics.recordSchedulerBeat(outcome) });
  const app = createApp({
    db,
    auth: {
      adminTokens: config.adminTokens,
      sessionSecrets: config.sessionSecrets,
      sessionMaxLifetimeSeconds: config.sessionMaxLifetimeHours * 3600,
    },
    logger,
    corsOrigins: config.corsOrigins,
    rollup,
    metrics,
    metricsTokens: config.metricsTokens,
    consoleFiles,
    trpcMaxBatchSize: config.trpcMaxBatchSize,
  });
  const server = serveApp(app, { port: config.port, hostname: config.host, timeouts: config.httpTimeouts }, (info) => {
    const url = `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
    const consoleUrl = config.consoleEnabled ? `${url}${CONSOLE_HOME}` : undefined;
    process.stdout.write(startupBanner({ url, database: where, generated, terminal: process.stdout.isTTY === true, consoleUrl }));
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      logger.info('HTTP server closed; stopping the KPI rollup after its current batch');
      scheduler
        .stop()
        .then(() => Promise.all([db.destroy(), rollupDb === db ? undefined : rollupDb.destroy()]))
        .catch((error: unknown) => logger.warn('closing the database failed', errorFields(error)))
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ConsoleBuildMissingError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
