import { describe, expect, it } from "vitest";

import type { MetricFigure } from "~/services/insights/sales-report";
import { verifySentences } from "~/services/insights/verify-summary";

const metrics: MetricFigure[] = [
  { id: "net_sales", label: "Net sales", unit: "money", value: 123_456, previous: 100_000, change: 0.23456 },
  { id: "orders", label: "Orders", unit: "count", value: 1_204, previous: 1_300, change: -0.0738 },
  {
    id: "repeat_purchase_rate",
    label: "Repeat-purchase rate",
    unit: "ratio",
    value: 0.3333,
    previous: null,
    change: null,
  },
];
const check = (text: string, metricIds: string[]) => verifySentences([{ text, metricIds }], metrics).dropped === 0;

describe("the summary's number check", () => {
  it("accepts figures as shown, with symbols, separators, signs and rounding to the written precision", () => {
    expect(check("Net sales were $1,234.56, up 23.5% on $1,000.00.", ["net_sales"])).toBe(true);
    expect(check("Net sales were about $1,235.", ["net_sales"])).toBe(true);
    expect(check("Orders fell 7% to 1,204 from 1,300.", ["orders"])).toBe(true);
    expect(check("A third of orders were repeats (33.3%).", ["repeat_purchase_rate"])).toBe(true);
    expect(check("Sales grew steadily.", ["net_sales"])).toBe(true);
  });

  it("drops a sentence with a figure that matches none it cites, or citing an unknown metric", () => {
    expect(check("Net sales were $1,243.56.", ["net_sales"])).toBe(false);
    expect(check("Net sales were $1,234.56 over 1,204 orders.", ["net_sales"])).toBe(false); // orders not cited
    expect(check("Orders rose 7%.", ["orders", "conversion"])).toBe(false);
    expect(check("Orders were 1,204.", [])).toBe(false);
    expect(check("Net sales rose 24.5%.", ["net_sales"])).toBe(false);
    // A count is not a percentage, nor the other way round.
    expect(check("Orders were 1,204%.", ["orders"])).toBe(false);
  });

  it("counts what it drops and keeps the rest in order", () => {
    const { kept, dropped } = verifySentences(
      [
        { text: "Orders were 1,204.", metricIds: ["orders"] },
        { text: "Orders were 1,240.", metricIds: ["orders"] },
        { text: "Net sales were $1,234.56.", metricIds: ["net_sales"] },
      ],
      metrics,
    );
    expect(kept.map((s) => s.text)).toEqual(["Orders were 1,204.", "Net sales were $1,234.56."]);
    expect(dropped).toBe(1);
  });
});
