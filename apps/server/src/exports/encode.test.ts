import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, exportEncoding } from './encode.js';

describe('CSV cells', () => {
  const csv = exportEncoding('csv', ['text', 'nested', 'count', 'flag', 'missing']);
  const row = (text: string) => csv.page([{ text, nested: null, count: 1, flag: true, missing: null }]).join('');

  it('has a header of the field names and CRLF line ends', () => {
    expect(csv.preamble).toBe('text,nested,count,flag,missing\r\n');
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
  });

  it('writes null as an empty cell, numbers and booleans as text, nested values as JSON text', () => {
    expect(csv.page([{ text: 'a', nested: { b: [1, 'two', null] }, count: 42, flag: false, missing: null }]).join('')).toBe(
      'a,"{""b"":[1,""two"",null]}",42,false,\r\n',
    );
  });

  it.each([
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a line feed', 'one\ntwo', '"one\ntwo"'],
    ['a carriage return inside', 'one\rtwo', '"one\rtwo"'],
    ['a CRLF', 'one\r\ntwo', '"one\r\ntwo"'],
  ])('quotes a cell holding %s', (_name, text, cell) => {
    expect(row(text)).toBe(`${cell},,1,true,\r\n`);
  });

  it.each([
    ['=', '=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+', '+1', "'+1"],
    ['-', '-1', "'-1"],
    ['@', '@cmd', "'@cmd"],
    ['tab', '\tx', "'\tx"],
    ['carriage return', '\rx', `"'\rx"`],
    ['= with a quote', '=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
  ])('prefixes a cell starting with %s so a spreadsheet never runs it', (_name, text, cell) => {
    expect(row(text)).toBe(`${cell},,1,true,\r\n`);
  });

  it('leaves other cells alone, a formula character later in the text included', () => {
    expect(row('a=b')).toBe('a=b,,1,true,\r\n');
  });
});

describe('NDJSON', () => {
  it('writes one JSON object per line, exactly as given', () => {
    const ndjson = exportEncoding('ndjson', ['a']);
    expect(ndjson.preamble).toBe('');
    expect(ndjson.contentType).toBe('application/x-ndjson');
    expect(ndjson.page([{ a: 1, b: 'x\ny' }, { a: null }]).join('')).toBe('{"a":1,"b":"x\\ny"}\n{"a":null}\n');
  });
});

describe('chunks', () => {
  it.each(['ndjson', 'csv'] as const)('%s: a page comes in chunks of at most CHUNK_CHARS characters, whole rows each', (format) => {
    const encoding = exportEncoding(format, ['id', 'text']);
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, text: 'x'.repeat(300) }));
    const chunks = encoding.page(rows);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(CHUNK_CHARS);
      expect(chunk.endsWith('\n')).toBe(true);
    }
    expect(chunks.join('').split('\n').filter(Boolean)).toHaveLength(1000);
  });
});
