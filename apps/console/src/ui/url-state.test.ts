import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { parseSearch, searchField, stringifySearch } from './url-state.js';

describe('the URL state', () => {
  it('keeps every value as text, as typed (no JSON parsing of numbers or booleans)', () => {
    expect(parseSearch('?actionId=123&stuck=true&email=a%2Bb%40x.test')).toEqual({ actionId: '123', stuck: 'true', email: 'a+b@x.test' });
  });

  it('treats an empty value as unset, and the first of repeated keys as the value', () => {
    expect(parseSearch('status=&status=failed&projectId=a&projectId=b')).toEqual({ status: 'failed', projectId: 'a' });
  });

  it('writes only the keys that hold a value, and reads back what it wrote', () => {
    const search = { status: 'failed', actionId: '123', cursor: undefined, email: '' };
    const text = stringifySearch(search);
    expect(text).toBe('?status=failed&actionId=123');
    expect(parseSearch(text)).toEqual({ status: 'failed', actionId: '123' });
    expect(stringifySearch({})).toBe('');
  });

  it('drops a value that does not fit its field instead of failing the page', () => {
    const schema = z.object({
      projectId: searchField.uuid(),
      status: searchField.oneOf(['failed', 'queued']),
      day: searchField.day(),
      actionId: searchField.text(5),
      cursor: searchField.cursor(),
    });
    expect(schema.parse({ projectId: 'nope', status: 'paused', day: '2026-02-30', actionId: 'toolong', cursor: 'a/b' })).toEqual({
      projectId: undefined,
      status: undefined,
      day: undefined,
      actionId: undefined,
      cursor: undefined,
    });
    expect(
      schema.parse({ projectId: '6f1c7c35-7a0e-4a43-9a53-4c3b0a0b8d21', status: 'failed', day: '2026-02-28', actionId: ' ab ', cursor: 'eyJ0IjoiMjAyNi0w' }),
    ).toEqual({ projectId: '6f1c7c35-7a0e-4a43-9a53-4c3b0a0b8d21', status: 'failed', day: '2026-02-28', actionId: 'ab', cursor: 'eyJ0IjoiMjAyNi0w' });
  });
});
