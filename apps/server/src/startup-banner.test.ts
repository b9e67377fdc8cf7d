import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startupBanner } from './startup-banner.js';

const URL = 'http://127.0.0.1:8787';
const TOKEN = 'rh_generated-token-0123456789abcdef';

describe('startupBanner', () => {
  it('prints a generated token with a ready curl on a terminal', () => {
    const banner = startupBanner({ url: URL, database: 'embedded', generated: { token: TOKEN, file: '/data/admin-token' }, terminal: true });
    expect(banner).toContain(`listening on ${URL} (embedded)`);
    expect(banner).toContain(`curl -H 'x-sheen-admin-token: ${TOKEN}' '${URL}/v1/admin/inhouse/workflow-runs?limit=5'`);
    expect(banner).toContain('kept in /data/admin-token');
  });

  it('names the file instead of printing the token when stdout is not a terminal', () => {
    const banner = startupBanner({ url: URL, database: 'embedded', generated: { token: TOKEN, file: '/data/admin-token' }, terminal: false });
    expect(banner).not.toContain(TOKEN);
    expect(banner).toContain(`curl -H "x-sheen-admin-token: $(cat '/data/admin-token')" '${URL}/v1/admin/inhouse/workflow-runs?limit=5'`);
    expect(banner).toContain('kept in /data/admin-token');
  });

  it('gives a curl whose $(cat …) reads the token, whatever the path holds', () => {
    const dir = mkdtempSync(join(tmpdir(), "runhub banner's "));
    try {
      const file = join(dir, 'admin-token');
      writeFileSync(file, `${TOKEN}\n`);
      const banner = startupBanner({ url: URL, database: 'embedded', generated: { token: TOKEN, file }, terminal: false });
      const header = /curl -H ("[^\n]*\)") '/.exec(banner)?.[1];
      expect(header).toBeDefined();
      expect(execFileSync('sh', ['-c', `printf %s ${header}`], { encoding: 'utf8' })).toBe(`x-sheen-admin-token: ${TOKEN}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the admin console when it is served', () => {
    const banner = startupBanner({ url: URL, database: 'embedded', terminal: false, consoleUrl: `${URL}/admin/inhouse/workflows` });
    expect(banner).toContain(`admin console: ${URL}/admin/inhouse/workflows`);
    expect(startupBanner({ url: URL, database: 'embedded', terminal: false })).not.toContain('admin console');
  });

  it('shows a placeholder when the tokens come from ADMIN_TOKEN', () => {
    for (const terminal of [true, false]) {
      const banner = startupBanner({ url: URL, database: 'postgres', terminal });
      expect(banner).toContain("curl -H 'x-sheen-admin-token: <one of ADMIN_TOKEN>'");
      expect(banner).not.toContain('kept in');
    }
  });
});
