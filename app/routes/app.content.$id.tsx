import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  SkeletonBodyText,
  SkeletonDisplayText,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { z } from "zod";

import { ActionResultBanners } from "~/components/ActionResultBanners";
import { prisma } from "~/db.server";
import { actionStatus, isAppError } from "~/lib/errors";
import { copyHistory } from "~/services/content/product-history.server";
import { requestRegeneration } from "~/services/content/request-regeneration.server";
import { restoreVersion } from "~/services/content/restore-version.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    const history = await copyHistory({ db: prisma, shop: session.shop, productContentId: params.id ?? "" });
    return {
      title: history.title,
      liveVersion: history.liveVersion,
      versions: history.versions.map((version) => ({
        ...version,
        createdAt: version.createdAt.toISOString(),
        publishedAt: version.publishedAt?.toISOString() ?? null,
      })),
    };
  } catch (error) {
    if (isAppError(error, "RESOURCE_NOT_FOUND")) throw new Response(error.userMessage, { status: 404 });
    throw error;
  }
};

const HistoryForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("restore"), versionId: z.string().min(1) }),
  z.object({ intent: z.literal("regenerate"), note: z.string().trim().max(500, "Keep the note under 500 characters") }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = HistoryForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return { error: form.error.issues[0]?.message ?? "Invalid request.", message: null };
  try {
    if (form.data.intent === "restore") {
      await restoreVersion({ db: prisma, shop: session.shop, versionId: form.data.versionId });
      return { error: null, message: "Restoring that version." };
    }
    const note = form.data.note || null;
    await requestRegeneration({ db: prisma, shop: session.shop, productContentId: params.id ?? "", note });
    return { error: null, message: "Writing new copy. The draft will appear in Review copy." };
  } catch (error) {
    if (isAppError(error)) return data({ error: error.userMessage, message: null }, { status: actionStatus(error) });
    throw error;
  }
};

const TONE = {
  LIVE: "success",
  DRAFT: "attention",
  PUBLISHING: "info",
  SUPERSEDED: undefined,
  REJECTED: "critical",
} as const;

const STATUS_LABEL = {
  LIVE: "Live",
  DRAFT: "Draft pending review",
  PUBLISHING: "Publishing",
  SUPERSEDED: "Replaced",
  REJECTED: "Rejected",
} as const;

const timeOf = (iso: string) => new Date(iso).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" });

type Version = ReturnType<typeof useLoaderData<typeof loader>>["versions"][number];
type Change = NonNullable<Version["changes"]>[number];

const ADDED = { background: "var(--p-color-bg-fill-success-secondary)", textDecoration: "none" };
// A removed run is followed by the added one that replaces it: a gap keeps the two words apart.
const REMOVED = {
  background: "var(--p-color-bg-fill-critical-secondary)",
  textDecoration: "line-through",
  marginRight: "0.25em",
};

/** One field's changes: prose with the words marked in place, lists one entry a line. */
function FieldChanges({ change }: { change: Change }) {
  const list = change.field === "features" || change.field === "useCases" || change.field === "keywords";
  const parts = change.parts.map((part, index) => {
    const text = list
      ? `${part.change === "added" ? "+ " : part.change === "removed" ? "− " : "  "}${part.text}`
      : part.text;
    if (part.change === "added")
      return (
        <ins key={index} style={ADDED}>
          {text}
        </ins>
      );
    if (part.change === "removed")
      return (
        <del key={index} style={REMOVED}>
          {text}
        </del>
      );
    return <span key={index}>{text}</span>;
  });
  return (
    <BlockStack gap="100">
      <Text as="h4" variant="headingXs">
        {change.label}
      </Text>
      {list ? (
        <BlockStack gap="050">
          {parts.map((part, index) => (
            <div key={index} style={{ whiteSpace: "pre-wrap" }}>
              {part}
            </div>
          ))}
        </BlockStack>
      ) : (
        <p style={{ whiteSpace: "pre-wrap" }}>{parts}</p>
      )}
    </BlockStack>
  );
}

function ChangesAgainstLive({ version, liveVersion }: { version: Version; liveVersion: number | null }) {
  if (!version.changes || liveVersion === null) return null;
  const changed = version.changes.filter((change) => change.parts.length > 0);
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <BlockStack gap="300">
        <BlockStack gap="050">
          <Text as="h3" variant="headingSm">
            Changes from the live copy
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {`Compared with the live version (${liveVersion}): new text is green, removed text red and struck through.`}
          </Text>
        </BlockStack>
        {changed.length === 0 ? (
          <Text as="p" tone="subdued">
            Same text as the live version.
          </Text>
        ) : (
          changed.map((change) => <FieldChanges key={change.field} change={change} />)
        )}
      </BlockStack>
    </Box>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <BlockStack gap="100">
      <Text as="h4" variant="headingXs" tone="subdued">
        {label}
      </Text>
      {children}
    </BlockStack>
  );
}

function Items({ items }: { items: string[] }) {
  if (items.length === 0)
    return (
      <Text as="p" tone="subdued">
        None
      </Text>
    );
  return (
    <List type="bullet">
      {items.map((item, index) => (
        <List.Item key={index}>{item}</List.Item>
      ))}
    </List>
  );
}

/** A version in full: everything it would publish, and when it was written and published. */
function VersionCard({
  version,
  liveVersion,
  restore,
}: {
  version: Version;
  liveVersion: number | null;
  restore: ReactNode;
}) {
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">{`Version ${version.version}`}</Text>
            <Badge tone={TONE[version.status]}>{STATUS_LABEL[version.status]}</Badge>
          </InlineStack>
          {restore}
        </InlineStack>
        <InlineStack gap="400">
          <Text as="span" tone="subdued">{`Written ${timeOf(version.createdAt)}`}</Text>
          <Text as="span" tone="subdued">
            {version.publishedAt ? `Published ${timeOf(version.publishedAt)}` : "Never published"}
          </Text>
        </InlineStack>
        {version.reviewReason ? <Banner tone="warning">{version.reviewReason}</Banner> : null}
        {version.note ? <Text as="p" tone="subdued">{`Note for the writer: ${version.note}`}</Text> : null}
        <ChangesAgainstLive version={version} liveVersion={liveVersion} />
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Field label="SEO title">
            <Text as="p">{version.metaTitle}</Text>
          </Field>
          <Field label="SEO description">
            <Text as="p">{version.metaDescription}</Text>
          </Field>
        </InlineGrid>
        <Field label="Short description">
          <Text as="p">{version.shortDescription}</Text>
        </Field>
        <Field label="Description">
          {/* Sanitised by the service against the description allow-list before it gets here. */}
          <div className="storewise-description" dangerouslySetInnerHTML={{ __html: version.descriptionHtml }} />
        </Field>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Field label="Features">
            <Items items={version.features} />
          </Field>
          <Field label="Use cases">
            <Items items={version.useCases} />
          </Field>
        </InlineGrid>
        <Field label="Keywords">
          {version.keywords.length ? (
            <InlineStack gap="100">
              {version.keywords.map((keyword) => (
                <Tag key={keyword}>{keyword}</Tag>
              ))}
            </InlineStack>
          ) : (
            <Text as="p" tone="subdued">
              None
            </Text>
          )}
        </Field>
      </BlockStack>
    </Card>
  );
}

function HistorySkeleton() {
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="400">
          <SkeletonDisplayText size="small" />
          <SkeletonBodyText lines={6} />
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

export default function ProductCopyHistory() {
  const { title, versions, liveVersion } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const [note, setNote] = useState("");
  const busy = fetcher.state !== "idle";
  const navigate = useNavigate();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname.startsWith("/app/content/");

  return (
    <Page>
      <TitleBar title={title || "Product copy"}>
        <button variant="breadcrumb" onClick={() => navigate("/app/content")}>
          Product copy
        </button>
      </TitleBar>
      <Layout>
        <ActionResultBanners result={fetcher.data} />
        <Layout.Section>
          <Card>
            <fetcher.Form method="post">
              <BlockStack gap="200">
                <input type="hidden" name="intent" value="regenerate" />
                <TextField
                  label="Note for the writer"
                  name="note"
                  value={note}
                  onChange={setNote}
                  autoComplete="off"
                  placeholder="e.g. mention that it is hand-made in Portugal"
                  multiline={2}
                />
                <InlineStack align="end">
                  <Button submit loading={busy}>
                    Regenerate
                  </Button>
                </InlineStack>
              </BlockStack>
            </fetcher.Form>
          </Card>
        </Layout.Section>
        {loading ? (
          <HistorySkeleton />
        ) : versions.length === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState heading="No copy written for this product yet" image="">
                <p>Add a note above if you like, then choose Regenerate to write its first version.</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          versions.map((version) => (
            <Layout.Section key={version.id}>
              <VersionCard
                version={version}
                liveVersion={liveVersion}
                restore={
                  version.status === "SUPERSEDED" || version.status === "REJECTED" ? (
                    <fetcher.Form method="post">
                      <input type="hidden" name="intent" value="restore" />
                      <input type="hidden" name="versionId" value={version.id} />
                      <Button submit disabled={busy}>{`Restore version ${version.version}`}</Button>
                    </fetcher.Form>
                  ) : null
                }
              />
            </Layout.Section>
          ))
        )}
      </Layout>
    </Page>
  );
}
