import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear, scalePoint } from "@visx/scale";
import { LinePath } from "@visx/shape";

interface Point {
  label: string;
  value: number;
}

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 16, bottom: 32, left: 72 };

/**
 * Net sales over time, current (brand colour, solid) against the previous period (dashed, muted),
 * as plain SVG drawn by visx: the same markup on the server and in the browser (no measuring, the
 * viewBox scales it), coloured with Polaris tokens. The data table next to it carries the figures
 * for screen readers and export; the chart itself is one labelled image.
 */
export function SalesChart({
  current,
  previous,
  formatValue,
  summary,
}: {
  current: Point[];
  previous: Point[] | null;
  formatValue: (value: number) => string;
  summary: string;
}) {
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = scalePoint({ domain: current.map((_, i) => i), range: [0, innerWidth], padding: 0.2 });
  const values = [...current, ...(previous ?? [])].map((p) => p.value);
  const min = Math.min(0, ...values);
  const max = Math.max(1, ...values);
  const y = scaleLinear({ domain: [min, max], range: [innerHeight, 0], nice: true });
  const step = Math.max(1, Math.ceil(current.length / 8));
  const xOf = (_: Point, i: number) => x(i) ?? 0;
  const yOf = (p: Point) => y(p.value);
  const axisLabel = { fill: "var(--p-color-text-secondary)", fontSize: 11, fontFamily: "var(--p-font-family-sans)" };
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={summary} data-testid="sales-chart">
      <Group left={MARGIN.left} top={MARGIN.top}>
        <AxisLeft
          scale={y}
          numTicks={5}
          tickFormat={(v) => formatValue(Number(v))}
          stroke="var(--p-color-border)"
          tickStroke="var(--p-color-border)"
          tickLabelProps={() => ({ ...axisLabel, textAnchor: "end", dx: -4, dy: 3 })}
        />
        <AxisBottom
          top={innerHeight}
          scale={x}
          tickValues={current.map((_, i) => i).filter((i) => i % step === 0)}
          tickFormat={(i) => current[Number(i)]?.label ?? ""}
          stroke="var(--p-color-border)"
          tickStroke="var(--p-color-border)"
          tickLabelProps={() => ({ ...axisLabel, textAnchor: "middle" })}
        />
        {previous ? (
          <LinePath
            data={previous.slice(0, current.length)}
            x={xOf}
            y={yOf}
            stroke="var(--p-color-border-emphasis)"
            strokeWidth={2}
            strokeDasharray="6 4"
            data-series="previous"
          />
        ) : null}
        <LinePath
          data={current}
          x={xOf}
          y={yOf}
          stroke="var(--p-color-bg-fill-brand)"
          strokeWidth={2.5}
          data-series="current"
        />
      </Group>
    </svg>
  );
}
