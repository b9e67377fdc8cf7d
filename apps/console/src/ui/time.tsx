import { formatDateTime, formatRelative, formatUtc } from './format.js';

/** A timestamp in the viewer's zone; the UTC form on hover. `relative` adds "5 minutes ago" below it. */
export function Time({ iso, relative = false }: { iso: string | null; relative?: boolean }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {formatDateTime(iso)}
      {relative ? <span className="relative">{formatRelative(iso, new Date())}</span> : null}
    </time>
  );
}
