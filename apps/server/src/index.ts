export { createApp, ADMIN_PREFIX, MAX_BODY_BYTES, type AppOptions } from './app.js';
export { loadConfig, ConfigError, type Config, type LogLevel } from './config.js';
export { createLogger, type Logger, type LogFields } from './logger.js';
export { listRestProcedures, type RestProcedure } from './rest/routes.js';
