import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";

import { SetupGuide } from "~/components/SetupGuide";
import { ShopStateBanner } from "~/components/ShopStateBanner";
import { storeForRequest } from "~/composition.server";
import { env } from "~/config/env.server";
import { prisma } from "~/db.server";
import { shopQueueCounts } from "~/jobs/inspect.server";
import { actionStatus, isAppError } from "~/lib/errors";
import { loadDashboard } from "~/services/dashboard/load-dashboard.server";
import { resumePausedProducts } from "~/services/content/resume-paused-products.server";
import { retryJobRun } from "~/jobs/retry-job-run.server";
import { SUPPORT_CHAT_EMBED_HANDLE, themeEditorAppEmbedUrl } from "~/integrations/shopify/theme-editor";
import { formatCost } from "~/lib/format-cost";
import { hideSetupGuide, markSetupSteps, SETUP_STEPS } from "~/services/dashboard/setup-guide.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = storeForRequest(session.shop);
  const dashboard = await loadDashboard({ db: prisma, shop: session.shop, store, queueCounts: shopQueueCounts });
  const chatEmbedUrl = themeEditorAppEmbedUrl({
    shop: session.shop,
    apiKey: env().SHOPIFY_API_KEY,
    handle: SUPPORT_CHAT_EMBED_HANDLE,
  });
  return { ...dashboard, chatEmbedUrl };
};

const DashboardForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("retry"), jobRunId: z.string().min(1) }),
  z.object({ intent: z.literal("resume") }),
  z.object({ intent: z.literal("setup-step"), step: z.enum(SETUP_STEPS), done: z.enum(["true", "false"]) }),
  z.object({ intent: z.literal("hide-guide") }),
  z.object({ intent: z.literal("show-guide") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = DashboardForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { ok: false, error: "Choose a failed job to retry." };
  try {
    const shop = session.shop;
    switch (form.data.intent) {
      case "resume":
        await resumePausedProducts({ db: prisma, shop });
        break;
      case "retry":
        await retryJobRun({ db: prisma, shop, jobRunId: form.data.jobRunId });
        break;
      case "setup-step":
        await markSetupSteps({ db: prisma, shop, steps: [form.data.step], done: form.data.done === "true" });
        break;
      case "hide-guide":
      case "show-guide":
        await hideSetupGuide({ db: prisma, shop, hidden: form.data.intent === "hide-guide" });
        break;
    }
    return { ok: true, error: null };
  } catch (error) {
    if (isAppError(error)) return data({ ok: false, error: error.userMessage }, { status: actionStatus(error) });
    throw error;
  }
};

export default function Dashboard() {
  const {
    overview,
    overviewError,
    shopState,
    queues,
    failures,
    usage,
    pausedProducts,
    bulkRun,
    usageByMonth,
    llmOutOfCredit,
    setupGuide,
    chatEmbedUrl,
  } = useLoaderData<typeof loader>();
  const retry = useFetcher<typeof action>();
  const navigate = useNavigate();
  const pending = queues ? Object.values(queues).reduce((sum, q) => sum + q.waiting + q.active + q.delayed, 0) : null;

  return (
    <Page>
      <TitleBar title="Storewise">
        <button variant="primary" onClick={() => navigate("/app/bulk-runs")}>
          Write copy for products without a description
        </button>
      </TitleBar>
      <Layout>
        {setupGuide.hidden ? null : (
          <Layout.Section>
            <SetupGuide guide={setupGuide} chatEmbedUrl={chatEmbedUrl} />
          </Layout.Section>
        )}
        {shopState ? (
          <Layout.Section>
            <ShopStateBanner state={shopState.state} since={shopState.since} />
          </Layout.Section>
        ) : null}
        {overviewError ? (
          <Layout.Section>
            <Banner tone="critical" title="Shopify could not be reached">
              <p>{overviewError}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {llmOutOfCredit ? (
          <Layout.Section>
            <Banner tone="critical" title="The AI account is out of credit">
              <p>
                Storewise cannot write product copy until the AI provider account it uses (set by OPENAI_API_KEY) has
                credit again. Whoever manages that account should add credit or raise its spending limit in the
                provider&apos;s billing settings. Then retry the failed work (below, or on the bulk run's page): until
                then nothing is retried on its own, so no tokens are spent.
              </p>
            </Banner>
          </Layout.Section>
        ) : null}
        {usage.capReached || pausedProducts > 0 ? (
          <Layout.Section>
            <Banner
              tone="warning"
              title={usage.capReached ? "Copy generation is paused" : "Products are waiting for copy"}
              action={usage.capReached ? { content: "Raise the cap", url: "/app/settings" } : undefined}
            >
              <p>
                {usage.capReached
                  ? `This month's cap of ${usage.cap?.toLocaleString()} tokens is used up. ${pausedProducts} product(s) are waiting.`
                  : `${pausedProducts} product(s) were paused by the monthly cap, which now has room again.`}
              </p>
              {!usage.capReached ? (
                <retry.Form method="post">
                  <input type="hidden" name="intent" value="resume" />
                  <Button submit loading={retry.state !== "idle"}>
                    Resume
                  </Button>
                </retry.Form>
              ) : null}
            </Banner>
          </Layout.Section>
        ) : null}
        {bulkRun && (bulkRun.status === "READING" || bulkRun.status === "RUNNING" || bulkRun.failed > 0) ? (
          <Layout.Section>
            <Banner
              tone={bulkRun.failed > 0 ? "warning" : "info"}
              title={`Bulk run: ${bulkRun.scope}`}
              action={{ content: "View bulk run", url: "/app/bulk-runs" }}
            >
              <p>
                {bulkRun.status === "READING"
                  ? "Reading the catalog from Shopify…"
                  : `${bulkRun.done + bulkRun.skipped + bulkRun.failed} of ${bulkRun.total} processed` +
                    (bulkRun.failed > 0 ? `, ${bulkRun.failed} failed` : "")}
              </p>
            </Banner>
          </Layout.Section>
        ) : null}
        {retry.data?.error ? (
          <Layout.Section>
            <Banner tone="warning">{retry.data.error}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 4 }} gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Store
                </Text>
                <Text as="p" variant="headingLg">
                  {overview?.name ?? "—"}
                </Text>
                <Text as="p" tone="subdued">
                  {overview ? `${overview.productCount} products · ${overview.currencyCode}` : "Unavailable"}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Languages
                </Text>
                <Text as="p">
                  {overview
                    ? overview.publishedLocales
                        .map((locale) => (locale === overview.primaryLocale ? `${locale} (primary)` : locale))
                        .join(", ")
                    : "—"}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  AI usage this month
                </Text>
                <Text as="p" variant="headingLg">
                  {`${usage.totalTokens.toLocaleString()} tokens`}
                </Text>
                <Text as="p" tone="subdued">
                  {[
                    formatCost(usage.estimatedCostUsd, usage.totalTokens),
                    usage.cap ? `cap ${usage.cap.toLocaleString()}` : "no cap",
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Background work
                </Text>
                <Text as="p" variant="headingLg">
                  {pending === null ? "Queue unavailable" : `${pending} in progress`}
                </Text>
                <Text as="p" tone={failures.length ? "critical" : "subdued"}>
                  {failures.length ? `${failures.length} failed` : "No failures"}
                </Text>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        {usageByMonth.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  AI usage by month
                </Text>
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "text"]}
                  headings={["Month", "Tokens", "Estimated cost", "By task"]}
                  rows={usageByMonth.map((month) => [
                    month.month,
                    month.totalTokens.toLocaleString(),
                    formatCost(month.estimatedCostUsd, month.totalTokens),
                    Object.entries(month.byTask)
                      .map(([task, tokens]) => `${task} ${tokens.toLocaleString()}`)
                      .join(" · "),
                  ])}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Failed jobs
              </Text>
              {failures.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing has failed. Failures show up here with a way to retry them.
                </Text>
              ) : (
                <BlockStack gap="300">
                  {failures.map((failure) => (
                    <Box key={failure.id} paddingBlockStart="300" borderBlockStartWidth="025" borderColor="border">
                      <InlineStack align="space-between" blockAlign="start" gap="400" wrap={false}>
                        <BlockStack gap="100">
                          <Text as="h3" variant="headingSm">
                            {failure.label}
                          </Text>
                          <Text as="p">{failure.reason}</Text>
                          <Text as="p" tone="subdued">
                            {failure.finishedAt ? new Date(failure.finishedAt).toLocaleString() : ""}
                          </Text>
                          {/* Codes are for support, not for the merchant: behind a disclosure. */}
                          <details>
                            <summary>Details</summary>
                            <Text as="p" tone="subdued" breakWord>
                              {failure.details}
                            </Text>
                          </details>
                        </BlockStack>
                        <retry.Form method="post">
                          <input type="hidden" name="intent" value="retry" />
                          <input type="hidden" name="jobRunId" value={failure.id} />
                          <Button submit loading={retry.state !== "idle"}>
                            Retry
                          </Button>
                        </retry.Form>
                      </InlineStack>
                    </Box>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        {setupGuide.hidden && setupGuide.doneCount < setupGuide.steps.length ? (
          <Layout.Section>
            <retry.Form method="post">
              <input type="hidden" name="intent" value="show-guide" />
              <Button submit variant="plain">
                Show the setup guide
              </Button>
            </retry.Form>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
