import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies SPEC §6 defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8787,
      databaseUrl: undefined,
      dataDir: '.runhub',
      adminTokens: [],
      sessionSecrets: [],
      sessionMaxLifetimeHours: 744,
      rollupIntervalMinutes: 15,
      kpiStaleAfterMinutes: 30,
      logLevel: 'info',
      metricsTokens: [],
      consoleEnabled: true,
      trpcMaxBatchSize: 10,
      httpTimeouts: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 },
    });
  });

  it('reads TRPC_MAX_BATCH_SIZE and the HTTP timeouts', () => {
    const config = loadConfig({
      TRPC_MAX_BATCH_SIZE: '4',
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '9000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '1500',
    });
    expect(config.trpcMaxBatchSize).toBe(4);
    expect(config.httpTimeouts).toEqual({ headersTimeoutMs: 2000, requestTimeoutMs: 9000, keepAliveTimeoutMs: 1500 });
  });

  it('refuses a headers timeout longer than the request timeout (node would never apply it)', () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toThrowError(/HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS/);
    expect(loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '30000' }).httpTimeouts.headersTimeoutMs).toBe(30_000);
  });

  it('reads METRICS_TOKEN as the bearer tokens of /metrics, comma-separated for rotation', () => {
    expect(loadConfig({ METRICS_TOKEN: 'metrics-token-0123456789, metrics-token-abcdefghij' }).metricsTokens).toEqual([
      'metrics-token-0123456789',
      'metrics-token-abcdefghij',
    ]);
    expect(loadConfig({ METRICS_TOKEN: '' }).metricsTokens).toEqual([]);
  });

  it('turns the console off with CONSOLE_ENABLED=false, in any case', () => {
    expect(loadConfig({ CONSOLE_ENABLED: 'false' }).consoleEnabled).toBe(false);
    expect(loadConfig({ CONSOLE_ENABLED: ' FALSE ' }).consoleEnabled).toBe(false);
    expect(loadConfig({ CONSOLE_ENABLED: 'true' }).consoleEnabled).toBe(true);
    expect(loadConfig({ CONSOLE_ENABLED: '' }).consoleEnabled).toBe(true);
  });

  it('splits comma-separated tokens and secrets for rotation', () => {
    const config = loadConfig({ ADMIN_TOKEN: 'aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb', SESSION_SECRET: `${'s'.repeat(32)},${'t'.repeat(32)}` });
    expect(config.adminTokens).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
    expect(config.sessionSecrets).toHaveLength(2);
  });

  it('reads SESSION_MAX_LIFETIME_HOURS', () => {
    expect(loadConfig({ SESSION_MAX_LIFETIME_HOURS: '12' }).sessionMaxLifetimeHours).toBe(12);
    expect(loadConfig({ SESSION_MAX_LIFETIME_HOURS: ' ' }).sessionMaxLifetimeHours).toBe(744);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['ROLLUP_INTERVAL_MINUTES', '0'],
    ['DB_STATEMENT_TIMEOUT_MS', '-5'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['ADMIN_TOKEN', 'short'],
    ['METRICS_TOKEN', 'short'],
    ['CONSOLE_ENABLED', 'no'],
    ['SESSION_MAX_LIFETIME_HOURS', '0'],
    ['SESSION_MAX_LIFETIME_HOURS', '-1'],
    ['SESSION_MAX_LIFETIME_HOURS', '1.5'],
    ['SESSION_MAX_LIFETIME_HOURS', 'forever'],
    ['TRPC_MAX_BATCH_SIZE', '0'],
    ['TRPC_MAX_BATCH_SIZE', 'ten'],
    ['HTTP_HEADERS_TIMEOUT_MS', '0'],
    ['HTTP_REQUEST_TIMEOUT_MS', '-1'],
    ['HTTP_KEEP_ALIVE_TIMEOUT_MS', '1e3'],
  ])('refuses a bad %s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrowError(new RegExp(name));
  });

  it.each(['ADMIN_TOKEN', 'METRICS_TOKEN'])('never echoes a secret of %s in its message', (name) => {
    expect(() => loadConfig({ [name]: 'tiny-secret' })).toThrowError(ConfigError);
    try {
      loadConfig({ [name]: 'tiny-secret' });
    } catch (error) {
      expect(String(error)).not.toContain('tiny-secret');
    }
  });
});
