import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/client.js';
import { ReasonDialog } from '../../ui/reason-dialog.js';
import { runsPathKey } from './queries.js';
import { RunId } from './run-cells.js';
import type { RunWrite } from './runs-table.js';

export type RunWriteResult = { kind: 'retry'; runId: string; newRunId: string } | { kind: 'cancel'; runId: string };

/** Retry or cancel one run with a reason; the API's refusal (409 with the existing retry) stays in the dialog. */
export function RunWriteDialog({ write, onClose, onDone }: { write: RunWrite; onClose: () => void; onDone: (result: RunWriteResult) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: runsPathKey(trpc) });
  const retry = useMutation(
    trpc.workflowRuns.retry.mutationOptions({
      onSuccess: async ({ newRunId }) => {
        await refresh();
        onDone({ kind: 'retry', runId: write.run.id, newRunId });
      },
    }),
  );
  const cancel = useMutation(
    trpc.workflowRuns.cancel.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onDone({ kind: 'cancel', runId: write.run.id });
      },
    }),
  );
  const mutation = write.kind === 'retry' ? retry : cancel;
  const verb = write.kind === 'retry' ? 'Retry' : 'Cancel';

  return (
    <ReasonDialog
      title={`${verb} run`}
      submitLabel={write.kind === 'retry' ? 'Retry run' : 'Cancel run'}
      pending={mutation.isPending}
      error={mutation.error}
      onClose={onClose}
      onSubmit={(reason) => mutation.mutate({ id: write.run.id, reason })}
    >
      <p>
        <RunId id={write.run.id} /> · {write.run.projectName} · <code>{write.run.actionId}</code>
      </p>
      <p className="hint">
        {write.kind === 'retry'
          ? 'A new queued run is created with the same action and params; a stuck run is marked failed.'
          : 'The run is marked cancelled and its lease released.'}
      </p>
    </ReasonDialog>
  );
}
