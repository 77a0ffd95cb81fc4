import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";

import { ActionResultBanners } from "~/components/ActionResultBanners";
import { prisma } from "~/db.server";
import { actionStatus, isAppError } from "~/lib/errors";
import { editDraft } from "~/services/content/edit-draft.server";
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
      return { error: null, message: "Draft rejected." };
    }
    const versionIds = form.data.intent === "approve" ? [form.data.versionId] : await allDraftIds({ db: prisma, shop });
    const { queued } = await approveVersions({ db: prisma, shop, versionIds });
    return { error: null, message: queued === 1 ? "Publishing 1 product." : `Publishing ${queued} products.` };
  } catch (error) {
    if (isAppError(error)) return data({ error: error.userMessage, message: null }, { status: actionStatus(error) });
    throw error;
  }
};

type Draft = ReturnType<typeof useLoaderData<typeof loader>>["items"][number]["draft"];

function DraftEditor({ draft, onDone }: { draft: Draft; onDone: () => void }) {
  const editor = useFetcher<typeof action>();
  const [values, setValues] = useState({
    metaTitle: draft.metaTitle,
    metaDescription: draft.metaDescription,
    shortDescription: draft.shortDescription,
    descriptionHtml: draft.descriptionHtml,
  });
  const fieldErrors: Partial<Record<keyof typeof values, string>> =
    (editor.data && "fieldErrors" in editor.data ? editor.data.fieldErrors : undefined) ?? {};
  const bind = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (value: string) => setValues({ ...values, [name]: value }),
    error: fieldErrors[name],
    autoComplete: "off",
  });
  const saved = editor.state === "idle" && editor.data?.message === "Draft saved.";
  const shopify = useAppBridge();
  useEffect(() => {
    if (!saved) return;
    shopify.toast.show("Draft saved");
    onDone();
  }, [saved, onDone, shopify]);
  return (
    <editor.Form method="post">
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="versionId" value={draft.id} />
      <FormLayout>
        <TextField label="SEO title" showCharacterCount maxLength={120} {...bind("metaTitle")} />
        <TextField label="SEO description" multiline={2} showCharacterCount {...bind("metaDescription")} />
        <TextField label="Short description" multiline={2} {...bind("shortDescription")} />
        <TextField label="Description (HTML)" multiline={6} {...bind("descriptionHtml")} />
        <InlineStack align="end" gap="200">
          <Button onClick={onDone}>Cancel</Button>
          <Button submit variant="primary" loading={editor.state !== "idle"}>
            Save draft
          </Button>
        </InlineStack>
      </FormLayout>
    </editor.Form>
  );
}

export default function ReviewQueue() {
  const [editing, setEditing] = useState<string | null>(null);
  const { items } = useLoaderData<typeof loader>();
  const review = useFetcher<typeof action>();
  const busy = review.state !== "idle";
  const shopify = useAppBridge();
  // A toast for each completed approve / reject, as the admin confirms its own actions.
  const done = review.state === "idle" ? review.data : undefined;
  useEffect(() => {
    if (done?.message) shopify.toast.show(done.message);
  }, [done, shopify]);

  return (
    <Page>
      <TitleBar title="Review copy">
        {items.length > 1 ? (
          <button
            variant="primary"
            disabled={busy}
            onClick={() => review.submit({ intent: "approve-all" }, { method: "post" })}
          >
            {`Approve all (${items.length})`}
          </button>
        ) : null}
      </TitleBar>
      <Layout>
        <ActionResultBanners result={review.data} />
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
                    <InlineStack gap="200">
                      {item.draft.reviewReason ? <Badge tone="warning">Check before publishing</Badge> : null}
                      <Badge tone="attention">{`Draft v${item.draft.version}`}</Badge>
                    </InlineStack>
                  </InlineStack>
                  {item.draft.reviewReason ? <Banner tone="warning">{item.draft.reviewReason}</Banner> : null}
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
                  {editing === item.draft.id ? (
                    <DraftEditor key={item.draft.id} draft={item.draft} onDone={() => setEditing(null)} />
                  ) : null}
                  <InlineStack gap="200" align="end">
                    <Button onClick={() => setEditing(item.draft.id)} disabled={busy || editing === item.draft.id}>
                      Edit
                    </Button>
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
