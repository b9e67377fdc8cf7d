import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Dialog } from './dialog.js';
import { ErrorNotice } from './states.js';

/** SPEC §3.2: every write's reason, 1–1000 characters after trimming. */
export const REASON_MAX = 1000;

/** The reason as the API takes it, or null when it would refuse it. */
export function acceptableReason(text: string): string | null {
  const reason = text.trim();
  return reason.length >= 1 && reason.length <= REASON_MAX ? reason : null;
}

/** The reason's text area, labelled, with the refusal shown once the form was submitted without one. */
export function ReasonField({ text, onChange, showRefusal }: { text: string; onChange: (text: string) => void; showRefusal: boolean }) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>Reason (required, kept in the audit log)</label>
      <textarea
        id={id}
        value={text}
        onChange={(event) => onChange(event.target.value)}
        maxLength={REASON_MAX}
        rows={3}
        aria-invalid={showRefusal}
        aria-describedby={showRefusal ? `${id}-hint` : undefined}
      />
      {showRefusal ? (
        <p id={`${id}-hint`} className="error">
          Give a reason (1–{REASON_MAX} characters).
        </p>
      ) : null}
    </>
  );
}

/**
 * A write behind a required reason (retry, cancel, trigger): the reason goes in the audit row.
 * The API's refusal (a 409 naming the existing retry, a 403 naming the permission) shows here.
 */
export function ReasonDialog({
  title,
  submitLabel,
  children,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  title: string;
  submitLabel: string;
  children?: ReactNode;
  pending: boolean;
  error: unknown;
  onSubmit: (reason: string) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const reason = acceptableReason(text);

  function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (reason) onSubmit(reason);
  }

  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {children}
        <ReasonField text={text} onChange={setText} showRefusal={touched && !reason} />
        {error ? <ErrorNotice error={error} /> : null}
        <div className="dialog-actions">
          <button type="button" className="quiet" onClick={onClose}>
            Close
          </button>
          <button type="submit" disabled={pending}>
            {pending ? 'Working…' : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
