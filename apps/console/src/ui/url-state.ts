import { z } from 'zod/mini';

/**
 * The view state in the URL: each page's filters and cursor are its search params, so a link
 * reproduces the view and back/forward step through it.
 *
 * Values stay text, exactly as typed: the router's default would JSON-parse them (an action id
 * `123` would become a number, `true` a boolean), and the API's own query strings are plain text.
 */
export function parseSearch(search: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    // The first value wins, as it does on the REST routes; an empty one is an unset filter.
    if (value !== '' && !Object.hasOwn(result, key)) result[key] = value;
  }
  return result;
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Field parsers for `validateSearch`. A value that does not fit is dropped rather than failing
 * the page: a hand-edited or stale link still opens, with that filter unset, and the API never
 * sees an input it would refuse.
 */
export const searchField = {
  /** Free text (an action id, an email), trimmed, 1–`max` characters. */
  text: (max = 200) => z.catch(z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(max))), undefined),
  uuid: () => z.catch(z.optional(z.guid()), undefined),
  /** An instant, ISO 8601 with `Z` or an offset, as the API takes `requestedFrom`/`requestedTo`. */
  instant: () => z.catch(z.optional(z.iso.datetime({ offset: true })), undefined),
  /** A real calendar day, `YYYY-MM-DD`. */
  day: () => z.catch(z.optional(z.iso.date()), undefined),
  oneOf: <const T extends readonly [string, ...string[]]>(values: T) => z.catch(z.optional(z.enum(values)), undefined),
  /** An opaque keyset cursor: base64url, as the API makes them. */
  cursor: () => z.catch(z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2048}$/))), undefined),
};
