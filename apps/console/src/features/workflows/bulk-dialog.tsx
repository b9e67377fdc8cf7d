import type { RouterInputs, RouterOutputs } from '@runhub/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../../api/client.js';
import { Dialog } from '../../ui/dialog.js';
import { formatNumber } from '../../ui/format.js';
import { acceptableReason, ReasonField } from '../../ui/reason-dialog.js';
import { ErrorNotice } from '../../ui/states.js';
import { runsPathKey } from './queries.js';

export type BulkOutput = RouterOutputs['workflowRuns']['bulkRetry'];
type BulkInput = RouterInputs['workflowRuns']['bulkRetry'];
type SkipReason = BulkOutput['skipped'][number]['reason'];

/** What a bulk operation applies to: the selected runs, or every run of the URL's filters (SPEC §7.4). */
export type BulkTarget = { ids: readonly string[] } | { filter: NonNullable<BulkInput['filter']> };

export interface BulkRequest {
  kind: 'retry' | 'cancel';
  target: BulkTarget;
}

export interface BulkResult {
  kind: 'retry' | 'cancel';
  output: BulkOutput;
}

const SKIP_LABELS: Record<SkipReason, string> = {
  not_found: 'not found',
  already_retried: 'already retried',
  already_cancelled: 'already cancelled',
  not_eligible: 'not eligible (status)',
  over_limit: 'over the limit of one operation',
};

/** The skipped ids by reason, in the API's order of reasons: "2 already retried, 1 not eligible". */
export function skippedSummary(skipped: BulkOutput['skipped']): { reason: SkipReason; label: string; count: number }[] {
  const counts = new Map<SkipReason, number>();
  for (const skip of skipped) counts.set(skip.reason, (counts.get(skip.reason) ?? 0) + 1);
  return (Object.keys(SKIP_LABELS) as SkipReason[])
    .filter((reason) => counts.has(reason))
    .map((reason) => ({ reason, label: SKIP_LABELS[reason], count: counts.get(reason) ?? 0 }));
}

export function describeTarget(target: BulkTarget): string {
  return 'ids' in target ? `the ${formatNumber(target.ids.length)} selected ${target.ids.length === 1 ? 'run' : 'runs'}` : 'every run of the current filters';
}

/**
 * A bulk retry or cancel in two steps: the dry run's preview first (matched, eligible, what would
 * change, what stays, what is skipped and why), then the operation itself with the same reason and
 * selection. The reason is required for both (the API checks it on the dry run too).
 */
export function BulkDialog({ request, onClose, onDone }: { request: BulkRequest; onClose: () => void; onDone: (result: BulkResult) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [preview, setPreview] = useState<{ reason: string; output: BulkOutput } | null>(null);
  const retry = useMutation(trpc.workflowRuns.bulkRetry.mutationOptions());
  const cancel = useMutation(trpc.workflowRuns.bulkCancel.mutationOptions());
  const mutation = request.kind === 'retry' ? retry : cancel;
  const reason = acceptableReason(text);
  const verb = request.kind === 'retry' ? 'Retry' : 'Cancel';
  const selection = 'ids' in request.target ? { ids: [...request.target.ids] } : { filter: request.target.filter };

  function previewRun(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!reason) return;
    mutation.mutate({ ...selection, reason, dryRun: true }, { onSuccess: (output) => setPreview({ reason, output }) });
  }

  function apply() {
    if (!preview) return;
    mutation.mutate(
      { ...selection, reason: preview.reason, dryRun: false },
      {
        onSuccess: async (output) => {
          await queryClient.invalidateQueries({ queryKey: runsPathKey(trpc) });
          onDone({ kind: request.kind, output });
        },
      },
    );
  }

  const changing = preview?.output.runIds.length ?? 0;
  return (
    <Dialog title={`${verb} runs in bulk`} onClose={onClose}>
      <form onSubmit={previewRun} noValidate>
        <p>
          {verb} {describeTarget(request.target)}.{' '}
          <span className="hint">
            {request.kind === 'retry'
              ? 'Failed and stuck runs without a retry get a new queued run; stuck originals are marked failed.'
              : 'Queued and running runs (stuck ones too) are marked cancelled.'}
          </span>
        </p>
        <ReasonField
          text={text}
          onChange={(next) => {
            setText(next);
            setPreview(null);
          }}
          showRefusal={touched && !reason}
        />
        {preview ? <BulkPreview output={preview.output} kind={request.kind} /> : null}
        {mutation.error ? <ErrorNotice error={mutation.error} /> : null}
        <div className="dialog-actions">
          <button type="button" className="quiet" onClick={onClose}>
            Close
          </button>
          {preview ? (
            <button type="button" disabled={mutation.isPending || changing === 0} onClick={apply}>
              {mutation.isPending ? 'Working…' : `${verb} ${formatNumber(changing)} ${changing === 1 ? 'run' : 'runs'}`}
            </button>
          ) : (
            <button type="submit" disabled={mutation.isPending}>
              {mutation.isPending ? 'Working…' : 'Preview'}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** The dry run's answer, as the operation would apply it now. */
export function BulkPreview({ output, kind }: { output: BulkOutput; kind: 'retry' | 'cancel' }) {
  const skipped = skippedSummary(output.skipped);
  return (
    <section className="preview" aria-label="Dry run">
      <dl className="cards">
        <div className="card">
          <dt>Matched</dt>
          <dd>{formatNumber(output.matched)}</dd>
        </div>
        <div className="card">
          <dt>Eligible</dt>
          <dd>{formatNumber(output.eligible)}</dd>
        </div>
        <div className="card">
          <dt>{kind === 'retry' ? 'Would retry' : 'Would cancel'}</dt>
          <dd>{formatNumber(output.runIds.length)}</dd>
        </div>
        <div className="card">
          <dt>Remaining</dt>
          <dd>{formatNumber(output.remaining)}</dd>
        </div>
      </dl>
      {skipped.length > 0 ? <p>Skipped: {skipped.map((skip) => `${formatNumber(skip.count)} ${skip.label}`).join(', ')}.</p> : null}
      {output.remaining > 0 ? <p className="hint note">One operation changes at most 500 runs; run it again for the remaining ones.</p> : null}
      {output.runIds.length === 0 ? <p className="hint note">Nothing to change: no run of this selection is eligible now.</p> : null}
    </section>
  );
}
