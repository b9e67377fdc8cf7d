import type { RouterOutputs } from '@runhub/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/client.js';
import { ReasonDialog } from '../../ui/reason-dialog.js';
import { kpiHealthPathKey } from './queries.js';

export type TriggerTarget = { projectId: string; projectName: string } | 'all';
export type TriggerResult = RouterOutputs['kpiHealth']['triggerRollup'] & { target: TriggerTarget };

/** Starts a rollup of one project or all, with a reason; the page then polls until it has run. */
export function TriggerDialog({ target, onClose, onDone }: { target: TriggerTarget; onClose: () => void; onDone: (result: TriggerResult) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const trigger = useMutation(
    trpc.kpiHealth.triggerRollup.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: kpiHealthPathKey(trpc) });
        onDone({ ...result, target });
      },
    }),
  );
  return (
    <ReasonDialog
      title={target === 'all' ? 'Roll up all projects' : `Roll up ${target.projectName}`}
      submitLabel="Start the rollup"
      pending={trigger.isPending}
      error={trigger.error}
      onClose={onClose}
      onSubmit={(reason) => trigger.mutate(target === 'all' ? { reason } : { projectId: target.projectId, reason })}
    >
      <p className="hint">The rollup recounts the days touched by new events. A run already in progress finishes first; this one follows it.</p>
    </ReasonDialog>
  );
}
