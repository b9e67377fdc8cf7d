import { useCallback, useMemo } from 'react';
import { formatDay, formatMoney, formatNumber } from '../../ui/format.js';
import { DAY_INCREMENTS, dayToX, paddedDays, uPlot as UPlot, UPlotChart, type uPlot, utcDates, xToDay } from '../../ui/uplot-chart.js';

export interface KpiChartDay {
  date: string;
  revenueCents: number;
  payments: number;
  leads: number;
}

const HEIGHT = 260;

/** uPlot's columns: x, revenue (minor units), payments, leads. */
export function chartData(days: readonly KpiChartDay[]): uPlot.AlignedData {
  return [days.map((day) => dayToX(day.date)), days.map((day) => day.revenueCents), days.map((day) => day.payments), days.map((day) => day.leads)];
}

function kpiOptions(width: number, currency: string): uPlot.Options {
  const money = (value: number | null) => (value === null ? '—' : formatMoney(value, currency));
  const count = (value: number | null) => (value === null ? '—' : formatNumber(value));
  return {
    width,
    height: HEIGHT,
    tzDate: utcDates,
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: paddedDays },
      money: { range: (_u, _min, max) => [0, Math.max(max, 1)] },
      count: { range: (_u, _min, max) => [0, Math.max(max, 1)] },
    },
    axes: [
      { values: (_u, splits) => splits.map((x) => formatDay(xToDay(x))), space: 80, incrs: DAY_INCREMENTS },
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
        paths: UPlot.paths.bars?.({ size: [0.6, 40] }),
        value: (_u, value) => money(value),
      },
      { label: 'Payments', scale: 'count', stroke: '#1d6b3a', width: 2, value: (_u, value) => count(value) },
      { label: 'Leads', scale: 'count', stroke: '#7a5200', width: 2, dash: [6, 4], value: (_u, value) => count(value) },
    ],
  };
}

/**
 * A project's days as one chart: revenue as bars on the left axis, in the project's currency;
 * payments and leads as lines on the right. The legend shows the hovered day's values.
 */
export function KpiChart({ days, currency, label }: { days: readonly KpiChartDay[]; currency: string; label: string }) {
  const data = useMemo(() => chartData(days), [days]);
  const options = useCallback((width: number) => kpiOptions(width, currency), [currency]);
  return <UPlotChart options={options} data={data} label={label} height={HEIGHT} />;
}
