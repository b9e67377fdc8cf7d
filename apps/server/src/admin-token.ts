import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The embedded database's admin token: read from `<dataDir>/admin-token`, or made and kept there
 * (mode 0600) on first start, so a developer's token survives restarts without any setup. `file` is
 * absolute: a log line naming it must not depend on the directory its reader's shell is in.
 */
export function loadOrCreateLocalAdminToken(dataDir: string): { token: string; created: boolean; file: string } {
  const file = resolve(dataDir, 'admin-token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, created: false, file };
  } catch {
    // No token yet: make one below.
  }
  mkdirSync(dataDir, { recursive: true });
  const token = `rh_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, created: true, file };
}
