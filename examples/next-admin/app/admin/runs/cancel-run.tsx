'use client';
import { createAdminClient, getAdminErrorCode } from '@runhub/client';

const admin = createAdminClient({
  baseUrl: process.env.NEXT_PUBLIC_RUNHUB_API_URL ?? '',
  fetch: (input, init) => fetch(input, { ...init, credentials: 'include' }),
});

export function CancelRun({ runId }: { runId: string }) {
  const cancel = () =>
    admin.workflowRuns.cancel.mutate({ id: runId, reason: 'cancelled from the panel' }).catch((error: unknown) => {
      alert(getAdminErrorCode(error) === 'CONFLICT' ? 'The run has already finished' : 'Cancelling failed');
    });
  return (
    <button type="button" onClick={cancel}>
      Cancel
    </button>
  );
}
