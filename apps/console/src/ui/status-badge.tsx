/** How a status reads at a glance; the word is always there, the colour only helps. */
const TONES: Record<string, 'good' | 'bad' | 'warn' | 'busy' | 'muted'> = {
  succeeded: 'good',
  sent: 'good',
  healthy: 'good',
  idle: 'good',
  failed: 'bad',
  stuck: 'bad',
  stale: 'warn',
  suppressed: 'warn',
  cancelled: 'muted',
  no_data: 'muted',
  queued: 'busy',
  running: 'busy',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${TONES[status] ?? 'muted'}`}>{status.replace('_', ' ')}</span>;
}
