// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { useReactRoot } from '../../testing/dom.js';
import { type BulkOutput, BulkPreview, describeTarget, skippedSummary } from './bulk-dialog.js';

const dom = useReactRoot();

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
    [...dom.container().querySelectorAll('.card')].map((card) => [card.querySelector('dt')?.textContent, card.querySelector('dd')?.textContent]),
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
    dom.render(<BulkPreview output={dryRun} kind="retry" />);
    expect(figures()).toEqual({ Matched: '5', Eligible: '3', 'Would retry': '2', Remaining: '1' });
    expect(dom.container().textContent).toContain('Skipped: 1 not found, 2 already retried, 1 over the limit of one operation.');
    expect(dom.container().textContent).toContain('run it again for the remaining ones');
  });

  it('says so when nothing would change', () => {
    dom.render(<BulkPreview output={{ ...dryRun, eligible: 0, runIds: [], remaining: 0, skipped: [] }} kind="cancel" />);
    expect(figures()['Would cancel']).toBe('0');
    expect(dom.container().textContent).toContain('Nothing to change');
    expect(dom.container().textContent).not.toContain('Skipped');
  });

  it('names its selection', () => {
    expect(describeTarget({ ids: [id(1)] })).toBe('the 1 selected run');
    expect(describeTarget({ ids: [id(1), id(2)] })).toBe('the 2 selected runs');
    expect(describeTarget({ filter: { status: 'failed' } })).toBe('every run of the current filters');
  });
});
