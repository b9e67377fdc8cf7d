import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDay, formatMoney, formatNumber } from '../../ui/format.js';

export interface KpiChartDay {
  date: string;
  revenueCents: number;
  payments: number;
  leads: number;
}

const HEIGHT = 260;
const DAY_SECONDS = 86_400;

/** A local date as the chart's x value: seconds at that date's UTC midnight, so the axis (in UTC) names the date itself. */
export function dayToX(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

export function xToDay(x: number): string {
  return new Date(x * 1000).toISOString().slice(0, 10);
}

/** uPlot's columns: x, revenue (minor units), payments, leads. */
export function chartData(days: readonly KpiChartDay[]): uPlot.AlignedData {
  return [days.map((day) => dayToX(day.date)), days.map((day) => day.revenueCents), days.map((day) => day.payments), days.map((day) => day.leads)];
}

function options(width: number, currency: string): uPlot.Options {
  const money = (value: number | null) => (value === null ? '—' : formatMoney(value, currency));
  const count = (value: number | null) => (value === null ? '—' : formatNumber(value));
  return {
    width,
    height: HEIGHT,
    // Dates are calendar dates: keep the axis in UTC so a tick at a date's midnight reads as that date in every zone.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, money: { range: (_u, _min, max) => [0, Math.max(max, 1)] }, count: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
    axes: [
      {
        values: (_u, splits) => splits.map((x) => formatDay(xToDay(x))),
        space: 80,
        incrs: [DAY_SECONDS, 2 * DAY_SECONDS, 7 * DAY_SECONDS, 14 * DAY_SECONDS, 28 * DAY_SECONDS],
      },
      { scale: 'money', values: (_u, splits) => splits.map((value) => formatMoney(value, currency)), size: 80 },
      { scale: 'count', side: 1, values: (_u, splits) => splits.map((value) => formatNumber(value)), grid: { show: false } },
    ],
    series: [
      { label: 'Date', value: (_u, x) => (x === null ? '—' : formatDay(xToDay(x))) },
      {
        label: 'Revenue',
        scale: 'money',
        stroke: '#1f4e8c',
        fill: 'rgba(31, 78, 140, 0.25)',
        paths: uPlot.paths.bars?.({ size: [0.6, 40] }),
        value: (_u, value) => money(value),
      },
      { label: 'Payments', scale: 'count', stroke: '#1d6b3a', width: 2, value: (_u, value) => count(value) },
      { label: 'Leads', scale: 'count', stroke: '#7a5200', width: 2, dash: [6, 4], value: (_u, value) => count(value) },
    ],
  };
}

/**
 * A project's days as one chart (uPlot): revenue as bars on the left axis, in the project's
 * currency; payments and leads as lines on the right. The legend shows the hovered day's values.
 * The table beside it holds the same figures for screen readers and copying.
 */
export function KpiChart({ days, currency, label }: { days: readonly KpiChartDay[]; currency: string; label: string }) {
  const holder = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const plot = new uPlot(options(element.clientWidth || 600, currency), chartData(days), element);
    chart.current = plot;
    const observer = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [currency, days]);

  return <div ref={holder} className="chart" role="img" aria-label={label} />;
}
