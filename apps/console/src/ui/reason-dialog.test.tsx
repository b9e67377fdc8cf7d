// @vitest-environment happy-dom
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { useReactRoot } from '../testing/dom.js';
import { ReasonDialog } from './reason-dialog.js';

const dom = useReactRoot();

function render(props: Partial<Parameters<typeof ReasonDialog>[0]> = {}) {
  const onSubmit = vi.fn();
  const onClose = vi.fn();
  dom.render(<ReasonDialog title="Retry run" submitLabel="Retry run" pending={false} error={null} onSubmit={onSubmit} onClose={onClose} {...props} />);
  const dialog = dom.container().querySelector('dialog');
  if (!dialog) throw new Error('no dialog');
  return { dialog, onSubmit, onClose };
}

function type(textarea: HTMLTextAreaElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
  act(() => {
    setter?.call(textarea, value);
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function submit(dialog: HTMLDialogElement) {
  const button = [...dialog.querySelectorAll('button')].find((b) => b.type === 'submit');
  act(() => button?.click());
}

describe('ReasonDialog', () => {
  it('opens as a modal dialog named by its title, with a labelled reason', () => {
    const { dialog } = render();
    expect(dialog.open).toBe(true);
    expect(dialog.getAttribute('aria-labelledby')).toBe(dialog.querySelector('h2')?.id);
    const textarea = dialog.querySelector('textarea');
    expect(dialog.querySelector(`label[for="${textarea?.id}"]`)?.textContent).toMatch(/Reason/);
  });

  it('refuses to send an empty or blank reason, and says why', () => {
    const { dialog, onSubmit } = render();
    submit(dialog);
    type(dialog.querySelector('textarea') as HTMLTextAreaElement, '   ');
    submit(dialog);
    expect(onSubmit).not.toHaveBeenCalled();
    expect(dialog.textContent).toContain('Give a reason');
    expect(dialog.querySelector('textarea')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('sends the trimmed reason', () => {
    const { dialog, onSubmit } = render();
    type(dialog.querySelector('textarea') as HTMLTextAreaElement, '  provider is back  ');
    submit(dialog);
    expect(onSubmit).toHaveBeenCalledWith('provider is back');
  });

  it('shows the API refusal in its own words, with the existing retry of a 409', () => {
    const retryRunId = '6f1c7c35-7a0e-4a43-9a53-4c3b0a0b8d21';
    const error = Object.assign(new Error(`Run a was already retried as ${retryRunId}`), {
      name: 'TRPCClientError',
      data: { code: 'CONFLICT', httpStatus: 409, details: { retryRunId } },
    });
    const { dialog } = render({ error });
    const alert = dialog.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain(`CONFLICT: Run a was already retried as ${retryRunId}`);
    expect(alert?.textContent).toContain(`Existing retry: 6f1c7c35`);
  });

  it('closes on Escape (the dialog cancel event) and on Close', () => {
    const { dialog, onClose } = render();
    act(() => {
      dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    });
    expect(onClose).toHaveBeenCalledTimes(1);
    const close = [...dialog.querySelectorAll('button')].find((b) => b.textContent === 'Close');
    act(() => close?.click());
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
