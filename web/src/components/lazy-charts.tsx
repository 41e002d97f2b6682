import type CloudscapeBarChart from '@cloudscape-design/components/bar-chart';
import type { BarChartProps } from '@cloudscape-design/components/bar-chart';
import type CloudscapeLineChart from '@cloudscape-design/components/line-chart';
import type { LineChartProps } from '@cloudscape-design/components/line-chart';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { Suspense, lazy } from 'react';

/** What a Cloudscape chart takes on its x axis. */
type ChartDataTypes = number | string | Date;

// Cloudscape's charts are the heaviest part of a page that shows figures first: a page that uses
// these fetches the chart code in parallel with its data, and shows the figures without waiting for it.
// lazy() forgets that the charts are generic in their x values.
const LineChart = lazy(() => import('@cloudscape-design/components/line-chart')) as unknown as typeof CloudscapeLineChart;
const BarChart = lazy(() => import('@cloudscape-design/components/bar-chart')) as unknown as typeof CloudscapeBarChart;

/** While the chart's code loads: its loading text, in the room the chart will take. */
function ChartLoading({ height, loadingText }: { height?: number; loadingText?: string }) {
  return (
    <div style={{ minHeight: height }}>
      <StatusIndicator type="loading">{loadingText}</StatusIndicator>
    </div>
  );
}

/** Cloudscape's LineChart, its code loaded when first shown. */
export function LazyLineChart<T extends ChartDataTypes>(props: LineChartProps<T>) {
  return (
    <Suspense fallback={<ChartLoading height={props.height} loadingText={props.loadingText} />}>
      <LineChart {...props} />
    </Suspense>
  );
}

/** Cloudscape's BarChart, its code loaded when first shown. */
export function LazyBarChart<T extends ChartDataTypes>(props: BarChartProps<T>) {
  return (
    <Suspense fallback={<ChartLoading height={props.height} loadingText={props.loadingText} />}>
      <BarChart {...props} />
    </Suspense>
  );
}
