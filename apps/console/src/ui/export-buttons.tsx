import { type AdminErrorCode, AdminExportError } from '@runhub/client';
import { useState } from 'react';
import { useAuth } from '../api/auth.js';
import { credentialHeaders } from '../api/credentials.js';
import { ErrorNotice } from './states.js';

/** The file name the server gives in `Content-Disposition: attachment; filename="…"`, or a fallback. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const match = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  return match?.[1] ?? fallback;
}

/**
 * Downloads an export (SPEC §7.5). A plain link cannot send `x-sheen-admin-token`, so the console
 * fetches the file with the same credential headers as the SDK (none with the session cookie: the
 * browser sends it, same origin), then hands the body to the browser as a Blob behind a
 * `download` link. A refusal arrives as the API's JSON envelope and is shown here, in its words.
 */
export async function downloadExport(url: string, headers: Record<string, string>, fallbackName: string): Promise<void> {
  const response = await fetch(url, { headers, credentials: 'same-origin' });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null;
    const error = body?.error;
    throw new AdminExportError(error?.message ?? `The export answered ${response.status}`, {
      code: (error?.code ?? 'INTERNAL_SERVER_ERROR') as AdminErrorCode,
      httpStatus: response.status,
      ...(error?.details ? { details: error.details } : {}),
    });
  }
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = attachmentName(response.headers.get('content-disposition'), fallbackName);
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it started; the next task is late enough to let the URL go.
  setTimeout(() => URL.revokeObjectURL(href), 0);
}

/** "Export NDJSON" and "Export CSV" of what the URL's filters select; `url(format)` builds the export's URL. */
export function ExportButtons({ label, url, fileName }: { label: string; url: (format: 'ndjson' | 'csv') => string; fileName: string }) {
  const auth = useAuth();
  const [busy, setBusy] = useState<'ndjson' | 'csv' | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run(format: 'ndjson' | 'csv') {
    setBusy(format);
    setError(null);
    try {
      await downloadExport(url(format), credentialHeaders(auth.current()), `${fileName}.${format}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }
  return (
    <fieldset className="export" aria-label={label}>
      <button type="button" className="quiet small" disabled={busy !== null} onClick={() => run('ndjson')}>
        {busy === 'ndjson' ? 'Exporting…' : 'Export NDJSON'}
      </button>
      <button type="button" className="quiet small" disabled={busy !== null} onClick={() => run('csv')}>
        {busy === 'csv' ? 'Exporting…' : 'Export CSV'}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </fieldset>
  );
}
