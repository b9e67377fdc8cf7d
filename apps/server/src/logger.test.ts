import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './env.js';
import { createLogger, errorFields } from './logger.js';
import { requestLog } from './middleware/request-log.js';

function capture(level: Parameters<typeof createLogger>[0] = 'debug') {
  const lines: string[] = [];
  return { lines, logger: createLogger(level, (line) => lines.push(line)) };
}

describe('createLogger', () => {
  it('writes one JSON line per event, synchronously: ISO time, string level, msg and the fields', () => {
    const { lines, logger } = capture();
    logger.info('database ready', { database: 'embedded' });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(line).toEqual({ time: expect.any(String), level: 'info', msg: 'database ready', database: 'embedded' });
    expect(new Date(String(line.time)).toISOString()).toBe(line.time);
    expect(lines[0]).not.toContain('\n');
  });

  it('adds no pid or hostname', () => {
    const { lines, logger } = capture();
    logger.warn('x');
    expect(Object.keys(JSON.parse(lines[0] ?? '{}')).sort()).toEqual(['level', 'msg', 'time']);
  });

  it('drops events below its level, and everything when silent', () => {
    const info = capture('info');
    info.logger.debug('hidden');
    info.logger.info('shown');
    info.logger.error('shown too');
    expect(info.lines.map((line) => JSON.parse(line).level)).toEqual(['info', 'error']);
    const silent = capture('silent');
    silent.logger.error('nothing');
    expect(silent.lines).toEqual([]);
  });

  it('redacts credential headers wherever a request, response or error carries them', () => {
    const { lines, logger } = capture();
    const credentials = {
      authorization: 'Bearer secret-bearer-0123456789',
      cookie: 'sheen_admin_session=secret-cookie-0123456789',
      'x-sheen-admin-token': 'secret-token-0123456789',
      'set-cookie': 'sheen_admin_session=secret-set-cookie-0123456789',
      accept: 'application/json',
    };
    logger.info('careless', { headers: credentials, req: { headers: credentials }, res: { headers: credentials } });
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, { headers: Record<string, string> } | Record<string, string>>;
    expect(lines[0]).not.toMatch(/secret-/);
    expect(line.headers).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-sheen-admin-token': '[redacted]',
      'set-cookie': '[redacted]',
      accept: 'application/json',
    });
    expect(line.req).toEqual({ headers: line.headers });
    expect(line.res).toEqual({ headers: line.headers });
  });

  it('logs an error with its cause', () => {
    const { lines, logger } = capture();
    logger.error('failed', errorFields(new Error('outer', { cause: Object.assign(new Error('inner'), { code: '57014' }) })));
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ error: { name: 'Error', message: 'outer' }, cause: { message: 'inner', code: '57014' } });
  });
});

describe('requestLog', () => {
  it('writes one line per request: request id, method, path without query, status, duration, admin id', async () => {
    const { lines, logger } = capture('info');
    const app = new Hono<AppEnv>();
    app.use('*', requestLog(logger));
    app.get('/runs', (c) => {
      c.set('actor', { adminId: 'ops-7', permissions: [], via: 'token' });
      return c.json({ ok: true });
    });
    await app.request('/runs?email=someone@example.com', { headers: { 'x-request-id': 'req-1', cookie: 'sheen_admin_session=secret-0123456789' } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({
      time: expect.any(String),
      level: 'info',
      msg: 'request',
      requestId: 'req-1',
      method: 'GET',
      path: '/runs',
      status: 200,
      durationMs: expect.any(Number),
      adminId: 'ops-7',
    });
    expect(lines[0]).not.toMatch(/someone|secret/);
  });
});
