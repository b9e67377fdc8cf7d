export { ADMIN_PREFIX, type AppOptions, createApp, MAX_BODY_BYTES } from './app.js';
export { type Config, ConfigError, type LogLevel, loadConfig } from './config.js';
export { boundHeapGrowth, HEAP_GROWING_PERCENT, SERVER_NODE_FLAGS } from './heap.js';
export { createLogger, type LogFields, type Logger } from './logger.js';
export { createServerMetrics, type ServerMetrics, type ServerMetricsOptions } from './metrics/server-metrics.js';
export { listRestProcedures, type RestProcedure } from './rest/routes.js';
