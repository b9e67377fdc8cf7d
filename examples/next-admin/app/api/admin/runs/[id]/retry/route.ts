import { createAdminClient, isAdminApiError } from '@runhub/client';
import { currentAdminId } from '@/lib/current-admin';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const admin = createAdminClient({ baseUrl: process.env.RUNHUB_API_URL ?? '', token: process.env.ADMIN_TOKEN, adminUserId: await currentAdminId() });
  const { reason } = (await request.json()) as { reason: string };
  try {
    return Response.json(await admin.workflowRuns.retry.mutate({ id: (await params).id, reason }));
  } catch (error) {
    if (isAdminApiError(error, 'CONFLICT')) return Response.json({ retryRunId: error.data.details?.retryRunId }, { status: 409 });
    if (isAdminApiError(error)) return Response.json({ code: error.data.code, message: error.message }, { status: error.data.httpStatus });
    throw error;
  }
}
