import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { DraftEditor } from "~/components/review/DraftEditor";
import { SafeHtml } from "~/components/review/SafeHtml";
import { COPY_LIMITS } from "~/services/content/copy/limits";
import type { CurrentDescription, ReviewItem } from "~/services/content/list-review-queue.server";

export type ReviewResult = { error: string | null; message: string | null };

const REVIEW_FETCHER = "review-";

/** The fetcher key of a card's approve / reject, which the page reads to hide the card and confirm. */
export const reviewFetcherKey = (versionId: string) => `${REVIEW_FETCHER}${versionId}`;

/** The version a review fetcher key belongs to, or null for any other fetcher. */
export const versionOfFetcher = (key: string) =>
  key.startsWith(REVIEW_FETCHER) ? key.slice(REVIEW_FETCHER.length) : null;

function Before({ before }: { before: CurrentDescription }) {
  if (before.status === "unavailable") {
    return (
      <Banner tone="warning" title="Couldn't load the current description from Shopify">
        <p>Shopify didn't answer just now. You can still review the draft; reload the page to compare.</p>
      </Banner>
    );
  }
  if (before.status === "gone") return <Text as="p">This product no longer exists in Shopify.</Text>;
  if (!before.html) return <Text as="p">The product has no description in Shopify yet.</Text>;
  return <SafeHtml html={before.html} label="Current description" />;
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <BlockStack gap="100">
      <Text as="h4" variant="headingXs" tone="subdued">
        {title}
      </Text>
      {children}
    </BlockStack>
  );
}

function List({ items }: { items: string[] }) {
  return (
    <ul style={{ margin: 0, paddingInlineStart: "1.25rem" }}>
      {items.map((item) => (
        <li key={item}>
          <Text as="span">{item}</Text>
        </li>
      ))}
    </ul>
  );
}

const counter = (text: string, max: number) => `${text.length}/${max}`;

/** What will be published, field by field, as the storefront and search engines will show it. */
function After({ draft }: { draft: ReviewItem["draft"] }) {
  return (
    <BlockStack gap="300">
      <SafeHtml html={draft.displayHtml} label="New description" />
      <Section title="Short description">
        <Text as="p">{draft.shortDescription}</Text>
      </Section>
      <InlineGrid columns={2} gap="300">
        <Section title="Features">
          <List items={draft.features} />
        </Section>
        <Section title="Use cases">
          <List items={draft.useCases} />
        </Section>
      </InlineGrid>
      <Section title="Keywords">
        <InlineStack gap="100">
          {draft.keywords.map((keyword) => (
            <Badge key={keyword}>{keyword}</Badge>
          ))}
        </InlineStack>
      </Section>
      <Section title="Search listing">
        <Box borderColor="border" borderWidth="025" borderRadius="200" padding="300">
          <BlockStack gap="200">
            <BlockStack gap="050">
              <Text as="p" fontWeight="semibold">
                {draft.metaTitle}
              </Text>
              <Text as="span" tone="subdued" variant="bodySm">
                {`SEO title ${counter(draft.metaTitle, COPY_LIMITS.metaTitle.max)}`}
              </Text>
            </BlockStack>
            <BlockStack gap="050">
              <Text as="p">{draft.metaDescription}</Text>
              <Text as="span" tone="subdued" variant="bodySm">
                {`SEO description ${counter(draft.metaDescription, COPY_LIMITS.metaDescription.max)}`}
              </Text>
            </BlockStack>
          </BlockStack>
        </Box>
      </Section>
    </BlockStack>
  );
}

/**
 * One draft beside the product page as it is now. The page hides it from the click on approve or
 * reject (while its fetcher, keyed by the version, is in flight) and, once `onAnswer` reports the
 * server's answer, for good if it succeeded; if the server refused, the card comes back with
 * `error`.
 */
export function ReviewCard({
  item,
  hidden,
  error,
  onAnswer,
}: {
  item: ReviewItem;
  hidden: boolean;
  error: string | null;
  onAnswer: (versionId: string, result: ReviewResult) => void;
}) {
  const { draft } = item;
  const review = useFetcher<ReviewResult>({ key: reviewFetcherKey(draft.id) });
  const [editing, setEditing] = useState(false);
  const answer = review.state === "idle" ? review.data : undefined;
  useEffect(() => {
    if (answer) onAnswer(draft.id, answer);
  }, [answer, onAnswer, draft.id]);
  if (hidden) return null;
  return (
    <section aria-label={`Draft for ${item.title}`}>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between">
            <Text as="h2" variant="headingMd">
              {item.title}
            </Text>
            <InlineStack gap="200">
              {draft.reviewReason ? <Badge tone="warning">Check before publishing</Badge> : null}
              {draft.publishing ? (
                <Badge tone="info">{`Publishing v${draft.version}`}</Badge>
              ) : (
                <Badge tone="attention">{`Draft v${draft.version}`}</Badge>
              )}
            </InlineStack>
          </InlineStack>
          {error ? <Banner tone="critical">{error}</Banner> : null}
          {draft.reviewReason ? <Banner tone="warning">{draft.reviewReason}</Banner> : null}
          {draft.note ? <Text as="p" tone="subdued">{`Your note for this version: ${draft.note}`}</Text> : null}
          {editing ? (
            <DraftEditor key={draft.id} draft={draft} onDone={() => setEditing(false)} />
          ) : (
            <InlineGrid columns={2} gap="400">
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm" tone="subdued">
                  Before: on your store now
                </Text>
                <Before before={item.before} />
              </BlockStack>
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  After: what will be published
                </Text>
                <After draft={draft} />
              </BlockStack>
            </InlineGrid>
          )}
          {editing || draft.publishing ? null : (
            <InlineStack gap="200" align="end">
              <Button onClick={() => setEditing(true)}>Edit</Button>
              <review.Form method="post">
                <input type="hidden" name="intent" value="reject" />
                <input type="hidden" name="versionId" value={draft.id} />
                <Button submit>Reject</Button>
              </review.Form>
              <review.Form method="post">
                <input type="hidden" name="intent" value="approve" />
                <input type="hidden" name="versionId" value={draft.id} />
                <Button submit variant="primary">
                  Approve
                </Button>
              </review.Form>
            </InlineStack>
          )}
        </BlockStack>
      </Card>
    </section>
  );
}
