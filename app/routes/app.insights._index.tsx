import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  useFetcher,
  useLoaderData,
  useNavigation,
  useRevalidator,
  useRouteError,
  useSearchParams,
} from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Collapsible,
  DataTable,
  DatePicker,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Popover,
  Select,
  SkeletonBodyText,
  SkeletonDisplayText,
  Text,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";

import { DigestHistory } from "~/components/insights/DigestHistory";
import { MetricCards } from "~/components/insights/MetricCards";
import { SalesChart } from "~/components/insights/SalesChart";
import { VerifiedSentences } from "~/components/insights/VerifiedSentences";
import { prisma } from "~/db.server";
import { ensureDigestSchedule } from "~/jobs/digest-schedule.server";
import { logger } from "~/lib/logger.server";
import type { loader as summaryLoader } from "~/routes/app.insights.summary";
import { loadInsightsPage } from "~/services/insights/load-insights-page.server";
import type { MetricId } from "~/services/insights/metrics";
import { customRangeUsable, parseReportQuery, PRESETS, rangeOf } from "~/services/insights/report-query";
import { formatChange, formatFigure, higherIsBetter, SERIES_COLUMNS } from "~/services/insights/sales-table";
import { reportTimeZone } from "~/services/insights/shop-clock.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseReportQuery(new URL(request.url));
  const timeZone = await reportTimeZone(prisma, session.shop);
  const page = await loadInsightsPage({
    db: prisma,
    shop: session.shop,
    range: rangeOf(query, new Date(), timeZone),
    comparison: query.comparison,
    granularity: query.granularity,
    ensureSchedule: (shop) =>
      ensureDigestSchedule(shop).catch((error: Error) => {
        logger.warn({ shop, err: error.message }, "could not schedule the weekly insights digest");
        throw error;
      }),
  });
  return { ...page, query, rangeRefused: query.range === "custom" && !customRangeUsable(query, new Date(), timeZone) };
};

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

const KPIS: MetricId[] = [
  "gross_sales",
  "discounts",
  "refunds",
  "net_sales",
  "orders",
  "average_order_value",
  "units",
  "new_customers",
  "returning_customer_orders",
  "repeat_purchase_rate",
];

const POLL_MS = 3_000;

/** Downloads through fetch, which App Bridge signs with the session token (a plain link is not). */
async function downloadCsv(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`export failed (${response.status})`);
  const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "sales.csv";
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = objectUrl;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(objectUrl);
  return filename;
}

const longDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });
const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const countryName = (code: string) => {
  if (!code) return "Unknown country";
  try {
    return new Intl.DisplayNames(["en"], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
};

function DeltaBadge({ id, change, hasComparison }: { id: MetricId; change: number | null; hasComparison: boolean }) {
  if (!hasComparison) return null;
  if (change === null)
    return (
      <Text as="span" tone="subdued" variant="bodySm">
        Nothing in the previous period to compare
      </Text>
    );
  const text = formatChange(change);
  const flat = text === "0.0%";
  const good = flat ? null : change > 0 === higherIsBetter(id);
  const words = flat ? "no change" : `${change > 0 ? "up" : "down"} vs previous period`;
  return (
    <InlineStack gap="100" blockAlign="center">
      <Badge tone={good === null ? undefined : good ? "success" : "critical"}>{text}</Badge>
      <Text as="span" tone="subdued" variant="bodySm">
        {words}
      </Text>
    </InlineStack>
  );
}

function RangeControls({ data }: { data: PageData }) {
  const [params, setParams] = useSearchParams();
  const { query, report } = data;
  const [pickerOpen, setPickerOpen] = useState(false);
  const [month, setMonth] = useState(() => {
    const end = new Date(`${report.range.end}T00:00:00Z`);
    return { month: end.getUTCMonth(), year: end.getUTCFullYear() };
  });
  const [selected, setSelected] = useState({
    start: new Date(`${report.range.start}T00:00:00`),
    end: new Date(`${report.range.end}T00:00:00`),
  });
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };
  const localDay = (d: Date) =>
    `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  return (
    <InlineStack gap="300" blockAlign="end" wrap>
      <Select
        label="Date range"
        options={[...PRESETS.map((p) => ({ label: p.label, value: p.value })), { label: "Custom…", value: "custom" }]}
        value={query.range}
        onChange={(value) => {
          if (value === "custom") setPickerOpen(true);
          else set({ range: value, start: null, end: null });
        }}
      />
      <Popover
        active={pickerOpen}
        onClose={() => setPickerOpen(false)}
        activator={
          <Button onClick={() => setPickerOpen((open) => !open)} disclosure>
            {`${longDay(report.range.start)} – ${longDay(report.range.end)}`}
          </Button>
        }
      >
        <Box padding="400">
          <BlockStack gap="300">
            <DatePicker
              month={month.month}
              year={month.year}
              onMonthChange={(m, y) => setMonth({ month: m, year: y })}
              onChange={setSelected}
              selected={selected}
              allowRange
              disableDatesAfter={new Date()}
            />
            <InlineStack align="end">
              <Button
                variant="primary"
                onClick={() => {
                  setPickerOpen(false);
                  set({ range: "custom", start: localDay(selected.start), end: localDay(selected.end) });
                }}
              >
                Apply
              </Button>
            </InlineStack>
          </BlockStack>
        </Box>
      </Popover>
      <Select
        label="Compare to"
        options={[
          { label: "Previous period", value: "previous-period" },
          { label: "No comparison", value: "none" },
        ]}
        value={query.comparison}
        onChange={(value) => set({ comparison: value })}
      />
      <Select
        label="Show by"
        options={[
          { label: "Day", value: "day" },
          { label: "Week", value: "week" },
          { label: "Month", value: "month" },
        ]}
        value={query.granularity}
        onChange={(value) => set({ granularity: value })}
      />
    </InlineStack>
  );
}

function TableDisclosure({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <BlockStack gap="200">
      <InlineStack>
        <Button
          variant="plain"
          onClick={() => setOpen(!open)}
          ariaExpanded={open}
          ariaControls={id}
          disclosure={open ? "up" : "down"}
        >
          {open ? `Hide ${label}` : `Show ${label}`}
        </Button>
      </InlineStack>
      <Collapsible id={id} open={open}>
        {children}
      </Collapsible>
    </BlockStack>
  );
}

function SummaryCard({ query }: { query: string }) {
  const fetcher = useFetcher<typeof summaryLoader>();
  const result = fetcher.data;
  const busy = fetcher.state !== "idle";
  return (
    <section aria-label="Summary">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Summary
            </Text>
            <Button onClick={() => fetcher.load(`/app/insights/summary?${query}`)} loading={busy}>
              {result ? "Write again" : "Write a summary"}
            </Button>
          </InlineStack>
          {busy ? <SkeletonBodyText lines={3} /> : null}
          {!busy && result?.error ? (
            <Banner tone="critical" title="The summary could not be written">
              <p>{result.error} Your figures above are unaffected; try again in a moment.</p>
            </Banner>
          ) : null}
          {!busy && result && !result.error ? (
            <BlockStack gap="200">
              {result.sentences.length ? (
                <VerifiedSentences sentences={result.sentences} testId="summary-sentences" />
              ) : (
                <Text as="p">No sentence could be checked against your figures.</Text>
              )}
              <Text as="p" tone="subdued" variant="bodySm">
                {`Generated from your numbers only (no orders or customer details are sent). Every figure is checked against the report${
                  result.dropped
                    ? `; ${result.dropped === 1 ? "1 sentence was" : `${result.dropped} sentences were`} left out because a figure did not match.`
                    : "."
                }`}
              </Text>
            </BlockStack>
          ) : null}
          {!busy && !result ? (
            <Text as="p" tone="subdued">
              A few sentences about this period, written by AI from the figures on this page.
            </Text>
          ) : null}
        </BlockStack>
      </Card>
    </section>
  );
}

/** Orders, gross and net sales by one segment (country, currency paid), with the table as its own chart. */
function SegmentTable(props: {
  title: string;
  note: string;
  segmentHeading: string;
  rows: Array<{ label: string; orders: number; grossSales: number; netSales: number }>;
  money: (cents: number | null) => string;
}) {
  const { title, note, segmentHeading, rows, money } = props;
  return (
    <section aria-label={title}>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            {note}
          </Text>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={[segmentHeading, "Orders", "Gross sales", "Net sales"]}
            rows={rows.map((row) => [row.label, String(row.orders), money(row.grossSales), money(row.netSales)])}
          />
        </BlockStack>
      </Card>
    </section>
  );
}

function SkeletonReport() {
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 1, sm: 2, md: 5 }} gap="400">
        {KPIS.map((id) => (
          <Card key={id}>
            <BlockStack gap="200">
              <SkeletonBodyText lines={1} />
              <SkeletonDisplayText size="small" />
            </BlockStack>
          </Card>
        ))}
      </InlineGrid>
      <Card>
        <SkeletonBodyText lines={8} />
      </Card>
    </BlockStack>
  );
}

export default function Insights() {
  const data = useLoaderData<typeof loader>();
  const { report, titles, backfill, hasSales, backfillDays } = data;
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const [params] = useSearchParams();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/insights";
  const money = (cents: number | null) => formatFigure(cents, "money", report.currency);
  const hasComparison = report.comparisonRange !== null;
  const exportUrl = `/app/insights/export?${params.toString()}`;
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  // While the backfill runs, reload the figures as its orders land.
  useEffect(() => {
    if (!backfill.running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [backfill.running, revalidator]);

  const shopify = useAppBridge();
  const exportCsv = () => {
    setExporting(true);
    setExportError(null);
    downloadCsv(exportUrl)
      .then(() => shopify.toast.show("Sales CSV downloaded"))
      .catch(() => setExportError("The CSV could not be downloaded. Try again."))
      .finally(() => setExporting(false));
  };
  const wasRunning = useRef(backfill.running);
  useEffect(() => {
    if (wasRunning.current && !backfill.running && backfill.status === "completed") {
      shopify.toast.show("Order history imported");
    }
    wasRunning.current = backfill.running;
  }, [backfill.running, backfill.status, shopify]);

  const historyNote = backfill.windowStart
    ? `History covers the last ${backfillDays} days, from ${longDay(backfill.windowStart.slice(0, 10))} (Shopify allows older orders only with read_all_orders).`
    : `History covers the last ${backfillDays} days (Shopify allows older orders only with read_all_orders).`;

  const seriesLabel = (start: string) =>
    report.granularity === "month"
      ? new Date(`${start}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", year: "numeric", timeZone: "UTC" })
      : report.granularity === "week"
        ? `Week of ${shortDay(start)}`
        : shortDay(start).replace(" ", "\u00a0");
  const net = (values: Record<string, number | null>) => values.net_sales ?? 0;
  const figure = (id: MetricId) => report.metrics.find((m) => m.id === id);
  const netSales = figure("net_sales");
  const title = (productId: string) => titles[productId] ?? "Product no longer in the catalog";

  const banners = (
    <>
      {backfill.running ? (
        <Banner tone="info" title="Importing your order history">
          <p>
            {`Storewise is reading the last ${backfillDays} days of orders from your store${backfill.ordersRecorded ? ` (${backfill.ordersRecorded} so far)` : ""}. Figures for earlier days fill in as it goes.`}
          </p>
        </Banner>
      ) : null}
      {backfill.status === "failed" ? (
        <Banner tone="warning" title="Your order history could not be imported">
          <p>New orders are still counted as they come in. Figures before the app was installed may be missing.</p>
        </Banner>
      ) : null}
    </>
  );

  if (!hasSales) {
    return (
      <Page>
        <TitleBar title="Insights" />
        <BlockStack gap="400">
          {banners}
          <Card>
            <EmptyState
              heading="No orders yet"
              action={{
                content: "Check again",
                onAction: () => revalidator.revalidate(),
                loading: revalidator.state !== "idle",
              }}
              secondaryAction={{
                content: "Learn about the report",
                url: "https://help.shopify.com/en/manual/reports-and-analytics",
                target: "_blank",
              }}
              image=""
            >
              <p>Your sales, best sellers and customers appear here once your store has orders. {historyNote}</p>
            </EmptyState>
          </Card>
        </BlockStack>
      </Page>
    );
  }

  const seriesRows = report.series.map((point) => [
    seriesLabel(point.start),
    ...SERIES_COLUMNS.map((c) => formatFigure(point.values[c.id], c.unit, report.currency)),
  ]);
  const productTable = (rows: typeof report.topProductsByRevenue) =>
    rows.length ? (
      <DataTable
        columnContentTypes={["text", "numeric", "numeric"]}
        headings={["Product", "Net sales", "Net units"]}
        rows={rows.map((p) => [title(p.productId), money(p.netRevenue), String(p.netUnits)])}
      />
    ) : (
      <Text as="p" tone="subdued">
        No products sold in this period.
      </Text>
    );

  return (
    <Page fullWidth>
      <TitleBar title="Insights">
        <button variant="primary" onClick={exportCsv} disabled={exporting}>
          Export CSV
        </button>
      </TitleBar>
      <BlockStack gap="400">
        {banners}
        {data.rangeRefused ? (
          <Banner tone="warning" title="Those dates could not be used">
            <p>
              A custom range needs a start and an end day, not in the future, at most two years apart. Showing the last
              30 days instead.
            </p>
          </Banner>
        ) : null}
        {exportError ? <Banner tone="critical" title={exportError} onDismiss={() => setExportError(null)} /> : null}
        <Card>
          <BlockStack gap="300">
            <RangeControls key={`${report.range.start}|${report.range.end}`} data={data} />
            <Text as="p" tone="subdued" variant="bodySm">
              {hasComparison && report.comparisonRange
                ? `Compared with ${longDay(report.comparisonRange.start)} – ${longDay(report.comparisonRange.end)}. `
                : ""}
              Days are in UTC. Refunds are counted on the day they were made. {historyNote}
            </Text>
          </BlockStack>
        </Card>
        {loading ? (
          <SkeletonReport />
        ) : (
          <BlockStack gap="400">
            <InlineGrid columns={{ xs: 1, sm: 2, md: 5 }} gap="400">
              {KPIS.map((id) => {
                const m = figure(id);
                if (!m) return null;
                return (
                  <div key={id} data-kpi={id}>
                    <Card>
                      <BlockStack gap="100">
                        <Text as="h3" variant="bodyMd" tone="subdued">
                          {m.label}
                        </Text>
                        <Text as="p" variant="headingLg" data-metric={id}>
                          <span data-metric={id}>{formatFigure(m.value, m.unit, report.currency)}</span>
                        </Text>
                        <DeltaBadge id={id} change={m.change} hasComparison={hasComparison} />
                        {hasComparison ? (
                          <Text as="p" tone="subdued" variant="bodySm">
                            {`Previous: ${formatFigure(m.previous, m.unit, report.currency)}`}
                          </Text>
                        ) : null}
                      </BlockStack>
                    </Card>
                  </div>
                );
              })}
            </InlineGrid>
            <SummaryCard key={params.toString()} query={params.toString()} />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Net sales over time
                </Text>
                <InlineStack gap="400">
                  <InlineStack gap="100" blockAlign="center">
                    <svg width="24" height="4" aria-hidden="true">
                      <line x1="0" y1="2" x2="24" y2="2" stroke="var(--p-color-bg-fill-brand)" strokeWidth="3" />
                    </svg>
                    <Text as="span" variant="bodySm">
                      {`${longDay(report.range.start)} – ${longDay(report.range.end)}`}
                    </Text>
                  </InlineStack>
                  {report.comparisonRange ? (
                    <InlineStack gap="100" blockAlign="center">
                      <svg width="24" height="4" aria-hidden="true">
                        <line
                          x1="0"
                          y1="2"
                          x2="24"
                          y2="2"
                          stroke="var(--p-color-border-emphasis)"
                          strokeWidth="2"
                          strokeDasharray="6 4"
                        />
                      </svg>
                      <Text as="span" variant="bodySm">
                        {`Previous period (${longDay(report.comparisonRange.start)} – ${longDay(report.comparisonRange.end)})`}
                      </Text>
                    </InlineStack>
                  ) : null}
                </InlineStack>
                <SalesChart
                  current={report.series.map((p) => ({ label: seriesLabel(p.start), value: net(p.values) }))}
                  previous={
                    report.comparisonSeries?.map((p) => ({ label: seriesLabel(p.start), value: net(p.values) })) ?? null
                  }
                  formatValue={(v) => money(v)}
                  summary={`Net sales by ${report.granularity}: ${money(netSales?.value ?? null)} in this period${
                    hasComparison ? `, ${money(netSales?.previous ?? null)} in the previous period` : ""
                  }. The table below lists every figure.`}
                />
                <TableDisclosure id="sales-over-time-table" label="sales over time as a table">
                  <div data-testid="sales-table">
                    <DataTable
                      columnContentTypes={["text", ...SERIES_COLUMNS.map(() => "numeric" as const)]}
                      headings={[
                        report.granularity === "day" ? "Day" : report.granularity === "week" ? "Week" : "Month",
                        ...SERIES_COLUMNS.map((c) => c.label),
                      ]}
                      rows={seriesRows}
                    />
                  </div>
                </TableDisclosure>
              </BlockStack>
            </Card>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <section aria-label="Top products by net sales">
                <Card>
                  <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">
                      Top products by net sales
                    </Text>
                    {productTable(report.topProductsByRevenue)}
                    <Text as="p" tone="subdued" variant="bodySm">
                      Product sales are line sales after product discounts, less refunded lines. Order-wide discount
                      codes are not split across products.
                    </Text>
                  </BlockStack>
                </Card>
              </section>
              <section aria-label="Top products by units sold">
                <Card>
                  <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">
                      Top products by units sold
                    </Text>
                    {productTable(report.topProductsByUnits)}
                  </BlockStack>
                </Card>
              </section>
              <SegmentTable
                title="Sales by country"
                note={`The shipping country, else the billing country; your Shopify Markets are not read yet, so this stands in for sales by market. Amounts in ${report.currency ?? "your store's currency"}.`}
                segmentHeading="Country"
                rows={report.byCountry.map((c) => ({ ...c, label: countryName(c.country) }))}
                money={money}
              />
              <SegmentTable
                title="Sales by currency paid"
                note={`The currency each buyer paid in. Amounts are converted to ${report.currency ?? "your store's currency"}.`}
                segmentHeading="Currency"
                rows={report.byCurrency.map((c) => ({ ...c, label: c.currency }))}
                money={money}
              />
            </InlineGrid>
            <DigestHistory digests={data.digests} scheduled={data.digestScheduled} />
            <MetricCards
              cards={data.crossCapability}
              format={(value, unit) => formatFigure(value, unit, report.currency)}
            />
            <ButtonGroup>
              <Button onClick={exportCsv} loading={exporting}>
                Export CSV
              </Button>
            </ButtonGroup>
          </BlockStack>
        )}
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const revalidator = useRevalidator();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <Page>
      <TitleBar title="Insights" />
      <Layout>
        <Layout.Section>
          <Banner
            tone="critical"
            title="Your sales report could not be loaded"
            action={{
              content: "Retry",
              onAction: () => revalidator.revalidate(),
              loading: revalidator.state !== "idle",
            }}
          >
            <p>Your orders are safe and still being counted. Try again in a moment.</p>
            <Text as="p" tone="subdued" variant="bodySm">{`Details for support: report load failed (${status}).`}</Text>
          </Banner>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
