import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";

import { ReviewCard } from "~/components/review/ReviewCard";
import { useReviewAnswers } from "~/components/review/use-review-answers";
import { storeForRequest } from "~/composition.server";
import { prisma } from "~/db.server";
import { actionStatus, isAppError } from "~/lib/errors";
import { editDraft } from "~/services/content/edit-draft.server";
import { listReviewQueue, REVIEW_QUEUE_LIMIT } from "~/services/content/list-review-queue.server";
import { approveVersions, rejectVersions } from "~/services/content/review-versions.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return {
    items: await listReviewQueue({ db: prisma, store: storeForRequest(session.shop), shop: session.shop }),
  };
};

const ReviewForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), versionId: z.string().min(1) }),
  z.object({ intent: z.literal("reject"), versionId: z.string().min(1) }),
  // The drafts the merchant saw and confirmed: one arriving after the page loaded waits for review.
  z.object({
    intent: z.literal("approve-all"),
    versionIds: z
      .string()
      .transform((ids) => ids.split(",").filter(Boolean))
      .pipe(z.array(z.string().min(1)).min(1).max(REVIEW_QUEUE_LIMIT)),
  }),
  z.looseObject({ intent: z.literal("edit"), versionId: z.string().min(1) }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = ReviewForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { error: "Choose a draft to approve or reject.", message: null };
  const shop = session.shop;
  try {
    if (form.data.intent === "edit") {
      const result = await editDraft({ db: prisma, shop, versionId: form.data.versionId, form: form.data });
      return result.ok
        ? { error: null, message: "Draft saved." }
        : {
            error: "Some fields need attention.",
            message: null,
            fieldErrors: result.errors,
            versionId: form.data.versionId,
          };
    }
    if (form.data.intent === "reject") {
      await rejectVersions({ db: prisma, shop, versionIds: [form.data.versionId] });
      return { error: null, message: "Draft rejected" };
    }
    const versionIds = form.data.intent === "approve" ? [form.data.versionId] : form.data.versionIds;
    const { queued } = await approveVersions({ db: prisma, shop, versionIds });
    return { error: null, message: queued === 1 ? "Publishing 1 product" : `Publishing ${queued} products` };
  } catch (error) {
    if (isAppError(error)) return data({ error: error.userMessage, message: null }, { status: actionStatus(error) });
    throw error;
  }
};

const APPROVE_ALL_MODAL = "approve-all-modal";

export default function ReviewQueue() {
  const { items } = useLoaderData<typeof loader>();
  const approveAll = useFetcher<typeof action>({ key: "approve-all" });
  const shopify = useAppBridge();
  const reviews = useReviewAnswers();
  // The drafts on the page when "approve all" was confirmed: hidden while it runs and after it
  // succeeds, back with the error if it fails.
  const [approvedAll, setApprovedAll] = useState<ReadonlySet<string>>(new Set());
  const allDone = approveAll.state === "idle" ? approveAll.data : undefined;
  const allAccepted = approveAll.state !== "idle" || Boolean(allDone?.message);
  useEffect(() => {
    if (allDone?.message) shopify.toast.show(allDone.message);
  }, [allDone, shopify]);
  const isHidden = (versionId: string) => reviews.handled(versionId) || (allAccepted && approvedAll.has(versionId));
  const waiting = items.filter((item) => !item.draft.publishing && !isHidden(item.draft.id));
  const count = waiting.length;
  const products = count === 1 ? "1 product" : `${count} products`;

  return (
    <Page>
      <TitleBar title="Review copy">
        {count > 1 ? (
          <button variant="primary" onClick={() => shopify.modal.show(APPROVE_ALL_MODAL)}>
            {`Approve all (${count})`}
          </button>
        ) : null}
      </TitleBar>
      <Modal id={APPROVE_ALL_MODAL}>
        <Box padding="400">
          <Text as="p">{`${products} will be published to your live store. Their product pages change as soon as each one is written.`}</Text>
        </Box>
        <TitleBar title={`Publish ${products}?`}>
          <button
            variant="primary"
            onClick={() => {
              void shopify.modal.hide(APPROVE_ALL_MODAL);
              const versionIds = waiting.map((item) => item.draft.id);
              setApprovedAll(new Set(versionIds));
              approveAll.submit({ intent: "approve-all", versionIds: versionIds.join(",") }, { method: "post" });
            }}
          >
            {`Publish ${products}`}
          </button>
          <button onClick={() => void shopify.modal.hide(APPROVE_ALL_MODAL)}>Cancel</button>
        </TitleBar>
      </Modal>
      <Layout>
        {allDone?.error ? (
          <Layout.Section>
            <Banner tone="critical">{allDone.error}</Banner>
          </Layout.Section>
        ) : null}
        {items.every((item) => isHidden(item.draft.id)) ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200" inlineAlign="center">
                <Text as="h2" variant="headingMd">
                  Nothing to review
                </Text>
                <Text as="p" tone="subdued">
                  New products get copy automatically. Drafts wait here for your approval.
                </Text>
                <InlineStack gap="200">
                  <Button url="/app/bulk-runs" variant="primary">
                    Write copy for existing products
                  </Button>
                  <Button url="/app/content">See all product copy</Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        {items.map((item) => (
          <Layout.Section key={item.draft.id}>
            <ReviewCard
              item={item}
              hidden={isHidden(item.draft.id)}
              error={reviews.errorOf(item.draft.id)}
              onAnswer={reviews.onAnswer}
            />
          </Layout.Section>
        ))}
      </Layout>
    </Page>
  );
}
