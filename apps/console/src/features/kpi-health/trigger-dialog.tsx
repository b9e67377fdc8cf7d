import type { RouterOutputs } from '@runhub/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTRPC } from '../../api/client.js';
import { ReasonDialog } from '../../ui/reason-dialog.js';
import { kpiHealthPathKey } from './queries.js';
import { rebuildRange } from './rebuild-range.js';

export type TriggerTarget = { projectId: string; projectName: string } | 'all';
export type TriggerResult = RouterOutputs['kpiHealth']['triggerRollup'] & { target: TriggerTarget };

/**
 * Starts a rollup of one project or all, with a reason; with a date range (the projects' local
 * dates, SPEC §8.2) it is a rebuild of those dates. The page then polls until it has run.
 */
export function TriggerDialog({ target, onClose, onDone }: { target: TriggerTarget; onClose: () => void; onDone: (result: TriggerResult) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const trigger = useMutation(
    trpc.kpiHealth.triggerRollup.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: kpiHealthPathKey(trpc) });
        onDone({ ...result, target });
      },
    }),
  );
  function submit(reason: string) {
    const checked = rebuildRange(startDate, endDate);
    if ('problem' in checked) {
      setProblem(checked.problem);
      return;
    }
    setProblem(null);
    trigger.mutate({ ...(target === 'all' ? {} : { projectId: target.projectId }), ...(checked.range ?? {}), reason });
  }
  return (
    <ReasonDialog
      title={target === 'all' ? 'Roll up all projects' : `Roll up ${target.projectName}`}
      submitLabel="Start the rollup"
      pending={trigger.isPending}
      error={trigger.error}
      onClose={onClose}
      onSubmit={submit}
    >
      <p className="hint">
        Without dates the rollup recounts the days touched by new events. With a range it rebuilds every day of it from all of its events (the projects' own
        local dates). A run already in progress finishes first; this one follows it.
      </p>
      <fieldset className="range" aria-describedby={problem ? `${id}-problem` : undefined}>
        <legend>Rebuild a date range (optional)</legend>
        <div className="field">
          <label htmlFor={`${id}-start`}>First day</label>
          <input id={`${id}-start`} type="date" value={startDate} onChange={(event) => setStartDate(event.target.value)} aria-invalid={problem !== null} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>Last day</label>
          <input id={`${id}-end`} type="date" value={endDate} onChange={(event) => setEndDate(event.target.value)} aria-invalid={problem !== null} />
        </div>
      </fieldset>
      {problem ? (
        <p id={`${id}-problem`} className="error" role="alert">
          {problem}
        </p>
      ) : null}
    </ReasonDialog>
  );
}
