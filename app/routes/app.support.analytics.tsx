import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  BlockStack,
  Box,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Page,
  ProgressBar,
  Select,
  Text,
} from "@shopify/polaris";
import { z } from "zod";

import { SUPPORT_TITLE, SupportTabs } from "~/components/support/SupportTabs";
import { prisma } from "~/db.server";
import { SOURCE_LABEL } from "~/components/support/source-labels";
import { loadChatAnalytics } from "~/services/support/chat-analytics.server";
import { authenticate } from "~/shopify.server";

const RANGES = [
  { label: "Last 7 days", value: "7" },
  { label: "Last 30 days", value: "30" },
  { label: "Last 90 days", value: "90" },
];

const query = z.object({ days: z.enum(["7", "30", "90"]).catch("30") });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { days } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const now = new Date();
  const end = now.toISOString().slice(0, 10);
  const start = new Date(now.getTime() - (Number(days) - 1) * 86_400_000).toISOString().slice(0, 10);
  const analytics = await loadChatAnalytics({ db: prisma, shop: session.shop, range: { start, end }, now });
  return { days, analytics };
};

type Analytics = ReturnType<typeof useLoaderData<typeof loader>>["analytics"];

const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 100)}%`);
const ms = (value: number | null) =>
  value === null ? "—" : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
const money = (cents: number, currency: string | null) =>
  currency
    ? new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100)
    : (cents / 100).toFixed(2);
const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });

function Figure({ label, value, help }: { label: string; value: string; help: string }) {
  return (
    <div role="group" aria-label={label}>
      <Card>
        <BlockStack gap="100">
          <Text as="h2" variant="headingSm" tone="subdued">
            {label}
          </Text>
          <Text as="p" variant="heading2xl">
            {value}
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            {help}
          </Text>
        </BlockStack>
      </Card>
    </div>
  );
}

/** Conversations per day as bars (SVG with a fixed viewBox, decision 022); the table below has the figures. */
function ConversationsChart({ analytics }: { analytics: Analytics }) {
  const max = Math.max(1, ...analytics.days.map((day) => day.conversations));
  const width = 600;
  const height = 120;
  const step = width / analytics.days.length;
  return (
    <svg
      viewBox={`0 0 ${width} ${height + 16}`}
      width="100%"
      role="img"
      aria-label={`Conversations per day, ${analytics.conversations} in all, at most ${max} on one day`}
    >
      {analytics.days.map((day, index) => {
        const handed = (day.handedOff / max) * height;
        const total = (day.conversations / max) * height;
        return (
          <g key={day.day}>
            <rect
              x={index * step + step * 0.15}
              y={height - total}
              width={step * 0.7}
              height={total}
              fill="var(--p-color-bg-fill-brand)"
            />
            <rect
              x={index * step + step * 0.15}
              y={height - handed}
              width={step * 0.7}
              height={handed}
              fill="var(--p-color-bg-fill-critical)"
            />
          </g>
        );
      })}
      <line x1={0} x2={width} y1={height} y2={height} stroke="var(--p-color-border)" />
      <text x={0} y={height + 14} fontSize="11" fill="var(--p-color-text-secondary)">
        {dayLabel(analytics.range.start)}
      </text>
      <text x={width} y={height + 14} fontSize="11" textAnchor="end" fill="var(--p-color-text-secondary)">
        {dayLabel(analytics.range.end)}
      </text>
    </svg>
  );
}

export default function SupportAnalytics() {
  const { days, analytics } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const decided = analytics.resolved + analytics.unresolved;
  const active = analytics.days.filter(
    (day) => day.conversations || day.replies || analytics.attribution.days.some((row) => row.day === day.day),
  );
  return (
    <Page>
      <TitleBar title={SUPPORT_TITLE} />
      <BlockStack gap="400">
        <SupportTabs selected="analytics" />
        <InlineStack align="space-between" blockAlign="center">
          <Text as="p" tone="subdued">
            {dayLabel(analytics.range.start)} – {dayLabel(analytics.range.end)} (UTC days)
          </Text>
          <Box minWidth="200px">
            <Select
              label="Date range"
              labelInline
              options={RANGES}
              value={days}
              onChange={(value) => navigate(`?days=${value}`)}
            />
          </Box>
        </InlineStack>
        {analytics.conversations === 0 && analytics.attribution.totals.attributedOrders === 0 ? (
          <Card>
            <EmptyState
              heading="No chats in this period"
              action={{ content: "Add chat answers", url: "/app/support/faq" }}
              image=""
            >
              <p>Once shoppers use the storefront chat, you will see how many it helped and what it sold here.</p>
            </EmptyState>
          </Card>
        ) : null}
        <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
          <Figure label="Conversations" value={String(analytics.conversations)} help="Chats started in this period" />
          <Figure
            label="Resolution rate"
            value={percent(analytics.resolutionRate)}
            help={`${analytics.resolved} of ${decided} chats: no handoff, and no new chat from the shopper within 24 hours${analytics.pending ? ` (${analytics.pending} too recent to judge)` : ""}`}
          />
          <Figure
            label="Handoff rate"
            value={percent(analytics.handoffRate)}
            help={`${analytics.handedOff} chats were offered a person or became a ticket`}
          />
          <Figure
            label="Answer time (95th percentile)"
            value={ms(analytics.p95LatencyMs)}
            help={`95% of ${analytics.replies} replies came this fast or faster`}
          />
          <Figure
            label="Orders after a chat"
            value={String(analytics.attribution.totals.attributedOrders)}
            help="Orders whose cart came from a chatting shopper"
          />
          <Figure
            label="Sales after a chat"
            value={money(analytics.attribution.totals.attributedSales, analytics.currency)}
            help="Those orders' sales after discounts, before shipping and tax"
          />
        </InlineGrid>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Where answers came from
              </Text>
              {analytics.sources.map((row) => (
                <BlockStack key={row.source} gap="100">
                  <InlineStack align="space-between">
                    <Text as="span">{SOURCE_LABEL[row.source] ?? row.source}</Text>
                    <Text as="span" tone="subdued">
                      {row.replies} · {percent(row.share)}
                    </Text>
                  </InlineStack>
                  <ProgressBar
                    progress={row.share * 100}
                    size="small"
                    tone={row.source === "handoff" ? "critical" : "highlight"}
                  />
                </BlockStack>
              ))}
              <DataTable
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={["Source", "Replies", "Share"]}
                rows={analytics.sources.map((row) => [
                  SOURCE_LABEL[row.source] ?? row.source,
                  row.replies,
                  percent(row.share),
                ])}
                totals={["", analytics.replies, analytics.replies ? "100%" : "—"]}
                showTotalsInFooter
              />
            </BlockStack>
          </Card>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Conversations per day
              </Text>
              <ConversationsChart analytics={analytics} />
              <Text as="p" tone="subdued" variant="bodySm">
                Dark bars: conversations that day. Red: the part handed to your team.
              </Text>
            </BlockStack>
          </Card>
        </InlineGrid>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Day by day
            </Text>
            <DataTable
              columnContentTypes={[
                "text",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
              ]}
              headings={[
                "Day",
                "Conversations",
                "Handed off",
                "Resolved",
                "Not resolved",
                "Too recent",
                "Replies",
                "Answer time (p95)",
                "Orders after a chat",
              ]}
              rows={active.map((day) => {
                const orders = analytics.attribution.days.find((row) => row.day === day.day);
                return [
                  dayLabel(day.day),
                  day.conversations,
                  day.handedOff,
                  day.resolved,
                  day.unresolved,
                  day.pending,
                  day.replies,
                  ms(day.p95LatencyMs),
                  orders ? `${orders.attributedOrders} (${money(orders.attributedSales, analytics.currency)})` : 0,
                ];
              })}
              totals={[
                "",
                analytics.conversations,
                analytics.handedOff,
                analytics.resolved,
                analytics.unresolved,
                analytics.pending,
                analytics.replies,
                ms(analytics.p95LatencyMs),
                `${analytics.attribution.totals.attributedOrders} (${money(analytics.attribution.totals.attributedSales, analytics.currency)})`,
              ]}
              showTotalsInFooter
            />
            {active.length === 0 ? (
              <Text as="p" tone="subdued">
                No chats on any day of this period.
              </Text>
            ) : null}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
