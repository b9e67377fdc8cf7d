import { describe, expect, it } from 'vitest';
import { type ExportOutcome, exportStream } from './stream.js';

/** A walk over `count` pages of one row each, counting the pages it was asked for. */
function walk(count: number, failAt?: number) {
  const state = { requested: 0 };
  async function* pages(): AsyncGenerator<readonly object[], void, undefined> {
    for (let page = 2; page <= count; page++) {
      state.requested++;
      if (page === failAt) throw new Error('the database went away');
      yield [{ page }];
    }
  }
  return { state, pages: pages() };
}

/** Lets every pending promise job and I/O callback run: a stream that reads ahead would read every page by then. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function stream(count: number, failAt?: number) {
  const { state, pages } = walk(count, failAt);
  const ends: Array<{ outcome: ExportOutcome; rows: number }> = [];
  const body = exportStream({
    first: [{ page: 1 }],
    pages,
    preamble: 'header\n',
    encode: (rows) => rows.map((row) => `${JSON.stringify(row)}\n`),
    onEnd: (outcome, rows) => ends.push({ outcome, rows }),
  });
  return { state, pages, ends, reader: body.getReader() };
}

describe('exportStream', () => {
  it('reads a page only when the client took the one before: with no reader, at most one page ahead', async () => {
    const { state, reader } = stream(1000);
    for (let i = 0; i < 5; i++) await settle();
    expect(state.requested).toBeLessThanOrEqual(1);
    for (let taken = 1; taken <= 3; taken++) {
      await reader.read();
      for (let i = 0; i < 5; i++) await settle();
      expect(state.requested).toBeLessThanOrEqual(taken + 1);
    }
  });

  it('sends the preamble, then every page, then ends, reporting the rows', async () => {
    const { ends, reader } = stream(3);
    const chunks: string[] = [];
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) chunks.push(new TextDecoder().decode(chunk.value));
    expect(chunks.join('')).toBe('header\n{"page":1}\n{"page":2}\n{"page":3}\n');
    expect(ends).toEqual([{ outcome: 'complete', rows: 3 }]);
  });

  it('stops the walk when the client cancels, and reports it once', async () => {
    const { state, pages, ends, reader } = stream(1000);
    await reader.read();
    await reader.cancel();
    // The walk is over: it yields nothing more to anyone.
    expect(await pages.next()).toEqual({ done: true, value: undefined });
    const requested = state.requested;
    for (let i = 0; i < 5; i++) await settle();
    expect(state.requested).toBe(requested);
    expect(ends).toEqual([{ outcome: 'aborted', rows: expect.any(Number) }]);
  });

  it('errors the stream on a failure midway, so the client never takes it for a whole file', async () => {
    const { ends, reader } = stream(10, 3);
    const received: string[] = [];
    const failure = (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return 'ended like a whole file';
        received.push(new TextDecoder().decode(chunk.value));
      }
    })();
    await expect(failure).rejects.toThrow('the database went away');
    expect(received).toEqual(['header\n', '{"page":1}\n', '{"page":2}\n']);
    expect(ends).toEqual([{ outcome: 'failed', rows: 2 }]);
  });
});
