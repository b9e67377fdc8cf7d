import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatDay,
  formatDuration,
  formatMoney,
  formatNumber,
  formatRelative,
  formatUtc,
  fromLocalInput,
  shortId,
  toLocalInput,
} from './format.js';

const en = { locale: 'en-GB' };

describe('formatting with Intl', () => {
  it('shows an instant in the viewer zone, and the same instant in UTC for the hover', () => {
    const iso = '2026-01-30T23:30:05.000Z';
    expect(formatDateTime(iso, { ...en, timeZone: 'Asia/Tokyo' })).toBe('31 Jan 2026, 08:30:05');
    expect(formatDateTime(iso, { ...en, timeZone: 'America/New_York' })).toBe('30 Jan 2026, 18:30:05');
    expect(formatUtc(iso)).toBe('2026-01-30 23:30:05 UTC');
  });

  it('writes a calendar day as that day, whatever the viewer zone', () => {
    expect(formatDay('2026-01-30', { locale: 'en-US' })).toBe('Jan 30, 2026');
  });

  it('writes money in the currency minor unit and its own decimals', () => {
    expect(formatMoney(15000, 'USD', { locale: 'en-US' })).toBe('$150.00');
    expect(formatMoney(5200, 'JPY', { locale: 'en-US' })).toBe('¥5,200');
    expect(formatMoney(123456789, 'EUR', { locale: 'de-DE' })).toBe('1.234.567,89\u00a0€');
    expect(formatMoney(1000, 'BHD', { locale: 'en-US' })).toBe('BHD\u00a01.000');
  });

  it('keeps an amount in a code Intl does not know, saying it is in minor units', () => {
    expect(formatMoney(1500, 'XX', { locale: 'en-US' })).toBe('1,500 XX (minor units)');
  });

  it('groups large numbers in the viewer locale', () => {
    expect(formatNumber(1234567, { locale: 'en-US' })).toBe('1,234,567');
    expect(formatNumber(1234567, { locale: 'de-DE' })).toBe('1.234.567');
  });

  it('says how long ago, in the largest unit that fits', () => {
    const now = new Date('2026-01-30T10:00:00Z');
    expect(formatRelative('2026-01-30T09:59:30Z', now, { locale: 'en' })).toBe('30 seconds ago');
    expect(formatRelative('2026-01-30T09:55:00Z', now, { locale: 'en' })).toBe('5 minutes ago');
    expect(formatRelative('2026-01-30T12:00:00Z', now, { locale: 'en' })).toBe('in 2 hours');
    expect(formatRelative('2026-01-29T10:00:00Z', now, { locale: 'en' })).toBe('yesterday');
  });

  it('writes durations from milliseconds to minutes', () => {
    expect(formatDuration(850, { locale: 'en' })).toBe('850 ms');
    expect(formatDuration(2500, { locale: 'en' })).toBe('2.5 s');
    expect(formatDuration(200_000, { locale: 'en' })).toBe('3 min 20 s');
  });

  it('shortens a uuid to its first block', () => {
    expect(shortId('5f4fd15c-073c-41be-97e4-637fa56800e5')).toBe('5f4fd15c');
  });
});

describe('datetime-local inputs', () => {
  it('shows an instant in the viewer zone and reads it back as the same UTC instant', () => {
    const iso = '2026-01-30T09:41:00.000Z';
    const local = toLocalInput(iso);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromLocalInput(local)).toBe(iso);
    expect(toLocalInput(undefined)).toBe('');
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('2026-01-30')).toBeUndefined();
  });
});
