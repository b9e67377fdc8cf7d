import { createAdminClient } from '@runhub/client';
import { cookies } from 'next/headers';
import { CancelRun } from './cancel-run';

export default async function FailedRuns() {
  const session = (await cookies()).get('sheen_admin_session')?.value ?? '';
  const admin = createAdminClient({ baseUrl: process.env.RUNHUB_API_URL ?? '', headers: { cookie: `sheen_admin_session=${session}` } });
  const { runs } = await admin.workflowRuns.list.query({ status: 'failed', limit: 20 });
  return (
    <ul>
      {runs.map((run) => (
        <li key={run.id}>
          {run.projectName}: {run.error?.message} <CancelRun runId={run.id} />
        </li>
      ))}
    </ul>
  );
}
