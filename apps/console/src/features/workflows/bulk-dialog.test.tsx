// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BulkOutput, BulkPreview, describeTarget, skippedSummary } from './bulk-dialog.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const dryRun: BulkOutput = {
  dryRun: true,
  bulkOperationId: null,
  matched: 5,
  eligible: 3,
  runIds: [id(1), id(2)],
  newRunIds: [],
  remaining: 1,
  skipped: [
    { id: id(4), reason: 'already_retried' },
    { id: id(3), reason: 'over_limit' },
    { id: id(5), reason: 'already_retried' },
    { id: id(6), reason: 'not_found' },
  ],
};

function figures(): Record<string, string> {
  return Object.fromEntries(
    [...container.querySelectorAll('.card')].map((card) => [card.querySelector('dt')?.textContent, card.querySelector('dd')?.textContent]),
  );
}

describe('the bulk preview', () => {
  it('counts the skipped ids by reason, in a fixed order', () => {
    expect(skippedSummary(dryRun.skipped)).toEqual([
      { reason: 'not_found', label: 'not found', count: 1 },
      { reason: 'already_retried', label: 'already retried', count: 2 },
      { reason: 'over_limit', label: 'over the limit of one operation', count: 1 },
    ]);
    expect(skippedSummary([])).toEqual([]);
  });

  it('shows matched, eligible, what would change and what remains, and why runs are skipped', () => {
    act(() => root.render(<BulkPreview output={dryRun} kind="retry" />));
    expect(figures()).toEqual({ Matched: '5', Eligible: '3', 'Would retry': '2', Remaining: '1' });
    expect(container.textContent).toContain('Skipped: 1 not found, 2 already retried, 1 over the limit of one operation.');
    expect(container.textContent).toContain('run it again for the remaining ones');
  });

  it('says so when nothing would change', () => {
    act(() => root.render(<BulkPreview output={{ ...dryRun, eligible: 0, runIds: [], remaining: 0, skipped: [] }} kind="cancel" />));
    expect(figures()['Would cancel']).toBe('0');
    expect(container.textContent).toContain('Nothing to change');
    expect(container.textContent).not.toContain('Skipped');
  });

  it('names its selection', () => {
    expect(describeTarget({ ids: [id(1)] })).toBe('the 1 selected run');
    expect(describeTarget({ ids: [id(1), id(2)] })).toBe('the 2 selected runs');
    expect(describeTarget({ filter: { status: 'failed' } })).toBe('every run of the current filters');
  });
});
