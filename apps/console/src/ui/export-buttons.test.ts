import { describe, expect, it } from 'vitest';
import { attachmentName } from './export-buttons.js';

describe('the export download', () => {
  it('saves under the name the server gives, or a fallback', () => {
    expect(attachmentName('attachment; filename="workflow-runs-20260130T100000Z.csv"', 'x.csv')).toBe('workflow-runs-20260130T100000Z.csv');
    expect(attachmentName('attachment; filename=runs.ndjson', 'x.ndjson')).toBe('runs.ndjson');
    expect(attachmentName(null, 'x.ndjson')).toBe('x.ndjson');
    expect(attachmentName('attachment', 'x.ndjson')).toBe('x.ndjson');
  });
});
