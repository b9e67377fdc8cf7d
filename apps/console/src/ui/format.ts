/**
 * Every number, amount and time the console shows goes through here, with `Intl`: in the viewer's
 * locale and time zone, with the UTC form a hover shows. `locale` and `timeZone` are parameters so
 * the tests can pin them; the app passes neither (the browser's own).
 */
export interface FormatOptions {
  locale?: string;
  timeZone?: string;
}

/** A timestamp in the viewer's zone, e.g. "30 Jan 2026, 11:00:05". */
export function formatDateTime(iso: string, options: FormatOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: options.timeZone }).format(new Date(iso));
}

/** The same instant in UTC, written the same way in every locale: "2026-01-30 10:00:05 UTC". */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A calendar day (`YYYY-MM-DD`, no time zone of its own), e.g. "30 Jan 2026". */
export function formatDay(day: string, options: FormatOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** How long ago, e.g. "5 minutes ago", "in 3 minutes". */
export function formatRelative(iso: string, now: Date, options: FormatOptions = {}): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(options.locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

export function formatNumber(value: number, options: FormatOptions = {}): string {
  return new Intl.NumberFormat(options.locale).format(value);
}

/**
 * An amount in the currency's minor unit (cents for USD, yen for JPY: `revenue_cents` and
 * `payload.amount` are stored that way) in that currency. The number of decimals is the
 * currency's own, as `Intl` knows it, so 5200 JPY is ¥5,200 and 5200 USD is $52.00.
 */
export function formatMoney(minorUnits: number, currency: string, options: FormatOptions = {}): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(options.locale, { style: 'currency', currency });
  } catch {
    // Not an ISO 4217 code Intl knows: the amount as it is stored, and the code.
    return `${formatNumber(minorUnits, options)} ${currency} (minor units)`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

/** A duration, e.g. "850 ms", "2.5 s", "3 min 20 s". */
export function formatDuration(milliseconds: number, options: FormatOptions = {}): string {
  if (milliseconds < 1000) return `${formatNumber(Math.round(milliseconds), options)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${new Intl.NumberFormat(options.locale, { maximumFractionDigits: 1 }).format(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${formatNumber(minutes, options)} min ${Math.round(seconds - minutes * 60)} s`;
}

/** The first block of a uuid, enough to tell runs apart on screen; the whole id goes in a title. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/**
 * An instant as a `<input type="datetime-local">` shows it, in the viewer's zone: "2026-01-30T11:00".
 * The input has no zone of its own; the page reads and writes UTC instants through these two.
 */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant a `datetime-local` value names in the viewer's zone, in UTC (`…Z`); undefined when empty or not a time. */
export function fromLocalInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
