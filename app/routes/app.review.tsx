import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";

import { prisma } from "~/db.server";
import { isAppError } from "~/lib/errors";
import { listReviewQueue } from "~/services/content/list-review-queue.server";
import { allDraftIds, approveVersions, rejectVersions } from "~/services/content/review-versions.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { items: await listReviewQueue({ db: prisma, shop: session.shop }) };
};

const ReviewForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), versionId: z.string().min(1) }),
  z.object({ intent: z.literal("reject"), versionId: z.string().min(1) }),
  z.object({ intent: z.literal("approve-all") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = ReviewForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { error: "Choose a draft to approve or reject.", message: null };
  const shop = session.shop;
  try {
    if (form.data.intent === "reject") {
      await rejectVersions({ db: prisma, shop, versionIds: [form.data.versionId] });
      return { error: null, message: "Draft rejected." };
    }
    const versionIds = form.data.intent === "approve" ? [form.data.versionId] : await allDraftIds(prisma, shop);
    const { queued } = await approveVersions({ db: prisma, shop, versionIds });
    return { error: null, message: queued === 1 ? "Publishing 1 product." : `Publishing ${queued} products.` };
  } catch (error) {
    if (isAppError(error)) return { error: error.userMessage, message: null };
    throw error;
  }
};

export default function ReviewQueue() {
  const { items } = useLoaderData<typeof loader>();
  const review = useFetcher<typeof action>();
  const busy = review.state !== "idle";

  return (
    <Page
      title="Review copy"
      backAction={{ url: "/app" }}
      primaryAction={
        items.length > 1 ? (
          <review.Form method="post">
            <input type="hidden" name="intent" value="approve-all" />
            <Button submit variant="primary" loading={busy}>
              {`Approve all (${items.length})`}
            </Button>
          </review.Form>
        ) : undefined
      }
    >
      <Layout>
        {review.data?.error ? (
          <Layout.Section>
            <Banner tone="warning">{review.data.error}</Banner>
          </Layout.Section>
        ) : null}
        {review.data?.message ? (
          <Layout.Section>
            <Banner tone="success">{review.data.message}</Banner>
          </Layout.Section>
        ) : null}
        {items.length === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState heading="Nothing to review" image="">
                <p>New products get copy automatically. Drafts wait here for your approval.</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          items.map((item) => (
            <Layout.Section key={item.draft.id}>
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between">
                    <Text as="h2" variant="headingMd">
                      {item.title}
                    </Text>
                    <Badge tone="attention">{`Draft v${item.draft.version}`}</Badge>
                  </InlineStack>
                  <InlineGrid columns={2} gap="400">
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm" tone="subdued">
                        Before
                      </Text>
                      <Text as="p">{item.live ? item.live.shortDescription : "No copy from Storewise yet."}</Text>
                    </BlockStack>
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        After
                      </Text>
                      <Text as="p" fontWeight="semibold">
                        {item.draft.metaTitle}
                      </Text>
                      <Text as="p">{item.draft.shortDescription}</Text>
                      <Text as="p" tone="subdued">
                        {item.draft.metaDescription}
                      </Text>
                    </BlockStack>
                  </InlineGrid>
                  <InlineStack gap="200" align="end">
                    <review.Form method="post">
                      <input type="hidden" name="intent" value="reject" />
                      <input type="hidden" name="versionId" value={item.draft.id} />
                      <Button submit disabled={busy}>
                        Reject
                      </Button>
                    </review.Form>
                    <review.Form method="post">
                      <input type="hidden" name="intent" value="approve" />
                      <input type="hidden" name="versionId" value={item.draft.id} />
                      <Button submit variant="primary" disabled={busy}>
                        Approve
                      </Button>
                    </review.Form>
                  </InlineStack>
                </BlockStack>
              </Card>
            </Layout.Section>
          ))
        )}
      </Layout>
    </Page>
  );
}
