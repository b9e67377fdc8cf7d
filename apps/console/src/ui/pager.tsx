/**
 * Keyset paging (SPEC §3.1): the cursor is in the URL, so "Next page" is a new history entry and
 * the browser's Back returns to the page before; "First page" drops the cursor.
 */
export function Pager({ label, nextCursor, onPage }: { label: string; nextCursor: string | null; onPage: (cursor: string | undefined) => void }) {
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="quiet" onClick={() => onPage(undefined)}>
        First page
      </button>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && onPage(nextCursor)}>
        {nextCursor ? 'Next page' : 'Last page'}
      </button>
    </nav>
  );
}
