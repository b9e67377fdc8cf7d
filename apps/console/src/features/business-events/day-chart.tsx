import { useCallback, useMemo } from 'react';
import { formatDay, formatNumber } from '../../ui/format.js';
import { DAY_INCREMENTS, dayToX, paddedDays, uPlot as UPlot, UPlotChart, type uPlot, utcDates, xToDay } from '../../ui/uplot-chart.js';

const HEIGHT = 200;

export function byDayData(byDay: readonly { date: string; count: number }[]): uPlot.AlignedData {
  return [byDay.map((day) => dayToX(day.date)), byDay.map((day) => day.count)];
}

function dayOptions(width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    tzDate: utcDates,
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true, range: paddedDays }, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
    axes: [
      { values: (_u, splits) => splits.map((x) => formatDay(xToDay(x))), space: 80, incrs: DAY_INCREMENTS },
      { values: (_u, splits) => splits.map((value) => formatNumber(value)) },
    ],
    series: [
      { label: 'Date (UTC)', value: (_u, x) => (x === null ? '—' : formatDay(xToDay(x))) },
      {
        label: 'Events',
        stroke: '#1f4e8c',
        fill: 'rgba(31, 78, 140, 0.25)',
        paths: UPlot.paths.bars?.({ size: [0.7, 40] }),
        value: (_u, value) => (value === null ? '—' : formatNumber(value)),
      },
    ],
  };
}

/** The events of the list's filters per UTC date (SPEC §7.7), zero-filled; loaded with React.lazy, so uPlot is not in the page's first view. */
export function DayChart({ byDay }: { byDay: readonly { date: string; count: number }[] }) {
  const data = useMemo(() => byDayData(byDay), [byDay]);
  const options = useCallback((width: number) => dayOptions(width), []);
  const first = byDay[0]?.date;
  const last = byDay.at(-1)?.date;
  const label = first && last ? `Events per day from ${formatDay(first)} to ${formatDay(last)} (UTC)` : 'Events per day';
  return <UPlotChart options={options} data={data} label={label} height={HEIGHT} />;
}
