import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A uPlot chart that fills its container's width and follows it when it resizes. Import it only
 * from a lazily loaded module (a route's chunk, or `React.lazy`): uPlot is then loaded by the
 * views that draw a chart and by no page's first view (the bundle test checks).
 */
export function UPlotChart({
  options,
  data,
  label,
  height,
}: {
  options: (width: number) => uPlot.Options;
  data: uPlot.AlignedData;
  label: string;
  height: number;
}) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const plot = new uPlot(options(element.clientWidth || 600), data, element);
    const observer = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [options, data, height]);
  // The chart's text name; the same figures are in a table or list beside it for screen readers.
  return <div ref={holder} className="chart" role="img" aria-label={label} />;
}

export { uPlot };

/** A date (`YYYY-MM-DD`) as a chart's x value: seconds at its UTC midnight, so a UTC axis names the date itself. */
export function dayToX(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

export function xToDay(x: number): string {
  return new Date(x * 1000).toISOString().slice(0, 10);
}

const DAY_SECONDS = 86_400;
/** Tick steps of a date axis: a day, two, a week, two weeks, four. */
export const DAY_INCREMENTS = [DAY_SECONDS, 2 * DAY_SECONDS, 7 * DAY_SECONDS, 14 * DAY_SECONDS, 28 * DAY_SECONDS];

/** A date axis's range with half a day either side, so the first and last bars are whole. */
export const paddedDays = (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => [min - DAY_SECONDS / 2, max + DAY_SECONDS / 2];

/** Dates are calendar dates: the axis stays in UTC so a tick at a date's midnight reads as that date in every zone. */
export const utcDates = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');
