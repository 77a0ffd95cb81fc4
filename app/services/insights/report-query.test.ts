// The report's days are the shop's days (decision 029): at 22:00 in New York the merchant's
// "today" is still New York's date, though UTC is already on the next one.
import { describe, expect, it } from "vitest";

import { customRangeUsable, ReportQuery, rangeOf } from "~/services/insights/report-query";

const now = new Date("2026-11-03T03:00:00Z"); // 22:00 EST on 2026-11-02

describe("the report's range in the shop's time zone", () => {
  it("GIVEN a New York shop late in the evening THEN the presets end on New York's today", () => {
    const query = ReportQuery.parse({ range: "last7" });
    expect(rangeOf(query, now, "America/New_York")).toEqual({ start: "2026-10-27", end: "2026-11-02" });
    expect(rangeOf(query, now)).toEqual({ start: "2026-10-28", end: "2026-11-03" });
  });

  it("GIVEN a custom range ending on UTC's date THEN it is in the future for the New York shop and refused", () => {
    const query = ReportQuery.parse({ range: "custom", start: "2026-10-01", end: "2026-11-03" });
    expect(customRangeUsable(query, now, "America/New_York")).toBe(false);
    expect(customRangeUsable(query, now, "UTC")).toBe(true);
  });
});
