import type { ReactNode } from 'react';
import { describeError } from '../api/errors.js';
import { shortId } from './format.js';

export function Loading({ label }: { label: string }) {
  return (
    <p className="state loading" role="status">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/** A failed call where it happened, in the API's words: its code, message, refused fields, or the existing retry. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { code, message, issues, retryRunId } = describeError(error);
  return (
    <div className="state error" role="alert">
      <p>
        {code ? <strong>{code}: </strong> : null}
        {message}
      </p>
      {retryRunId ? (
        <p>
          Existing retry: <code title={retryRunId}>{shortId(retryRunId)}</code> ({retryRunId})
        </p>
      ) : null}
      {issues && issues.length > 0 ? (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <code>{issue.path || 'input'}</code>: {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/** Loading, error or the data; `isEmpty` picks the empty state's message over an empty table. */
export function QueryView<T>({
  query,
  loading,
  empty,
  isEmpty,
  children,
}: {
  query: QueryLike<T>;
  loading: string;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loading} />;
  if (query.data === undefined) return <ErrorNotice error={query.error} onRetry={() => query.refetch()} />;
  if (empty !== undefined && isEmpty?.(query.data)) return <Empty>{empty}</Empty>;
  return (
    <>
      {query.error ? <ErrorNotice error={query.error} onRetry={() => query.refetch()} /> : null}
      {children(query.data)}
    </>
  );
}
