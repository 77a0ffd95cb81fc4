import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Collapsible, InlineStack, Link, Text } from "@shopify/polaris";
import { useState } from "react";

import { VerifiedSentences } from "~/components/insights/VerifiedSentences";
import type { action as digestAction } from "~/routes/app.insights.digests";
import type { DigestEntry } from "~/services/insights/list-digests.server";

const day = (d: string) =>
  new Date(`${d}T00:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });

const KIND_LABEL = { translate: "Translate", "chat-interest": "Asked in chat", "write-copy": "Write copy" } as const;
const ACTION_LABEL = {
  translate: "Open translations",
  "chat-interest": "Add an FAQ answer",
  "write-copy": "Open the product's copy",
} as const;

function DigestBody({ digest }: { digest: DigestEntry }) {
  return (
    <BlockStack gap="300">
      {digest.sentences.length ? (
        <VerifiedSentences sentences={digest.sentences} testId="digest-sentences" />
      ) : (
        <Text as="p" tone="subdued">
          No summary sentence could be checked against the week&apos;s figures.
        </Text>
      )}
      <Text as="h4" variant="headingSm">
        Recommendations
      </Text>
      {digest.recommendations.length ? (
        <BlockStack gap="200" as="ul">
          {digest.recommendations.map((r, i) => (
            <li key={i} data-recommendation={r.kind} style={{ listStyle: "none" }}>
              <InlineStack gap="200" blockAlign="center" wrap={false}>
                <Badge tone={r.kind === "translate" ? "attention" : r.kind === "write-copy" ? "info" : undefined}>
                  {KIND_LABEL[r.kind]}
                </Badge>
                <Text as="span">{r.text}</Text>
                <Link url={r.link}>{ACTION_LABEL[r.kind]}</Link>
              </InlineStack>
            </li>
          ))}
        </BlockStack>
      ) : digest.candidates ? (
        <Text as="p" tone="subdued">
          No recommendation could be checked against your figures this time. Write the digest again to retry.
        </Text>
      ) : (
        <Text as="p" tone="subdued">
          Nothing to suggest this week: your best sellers have copy and translations where they sell.
        </Text>
      )}
      <Text as="p" tone="subdued" variant="bodySm">
        {`Written by AI from your computed figures only (no orders, customers or chat messages are sent); every figure is checked${
          digest.dropped
            ? `, and ${digest.dropped === 1 ? "1 sentence was" : `${digest.dropped} sentences were`} left out because a figure did not match.`
            : "."
        } ${digest.trigger === "scheduled" ? "Written by the weekly job" : "Written on request"} on ${day(digest.generatedAt.slice(0, 10))}.`}
      </Text>
    </BlockStack>
  );
}

function EarlierDigest({ digest }: { digest: DigestEntry }) {
  const [open, setOpen] = useState(false);
  const id = `digest-${digest.id}`;
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
          {`Week of ${day(digest.periodStart)} – ${day(digest.periodEnd)}`}
        </Button>
      </InlineStack>
      <Collapsible id={id} open={open}>
        <DigestBody digest={digest} />
      </Collapsible>
    </BlockStack>
  );
}

/** The weekly digests: the latest week's open, earlier weeks listed, and "write it now". */
export function DigestHistory({ digests, scheduled }: { digests: DigestEntry[]; scheduled: boolean | null }) {
  const fetcher = useFetcher<typeof digestAction>();
  const busy = fetcher.state !== "idle";
  const [latest, ...earlier] = digests;
  return (
    <section aria-label="Weekly digests">
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                Weekly digests
              </Text>
              <Text as="p" tone="subdued" variant="bodySm">
                {`A summary of the seven days before each digest, with what to do next. One is written every Monday for the week before it, in your store's time zone${
                  scheduled === false ? "; the weekly schedule could not be checked just now" : ""
                }.`}
              </Text>
            </BlockStack>
            <Button
              loading={busy}
              onClick={() => fetcher.submit({}, { method: "post", action: "/app/insights/digests" })}
            >
              Write a digest of the last 7 days
            </Button>
          </InlineStack>
          {!busy && fetcher.data?.error ? (
            <Banner tone="critical" title="The digest could not be written">
              <p>{fetcher.data.error} Try again in a moment.</p>
            </Banner>
          ) : null}
          {latest ? (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {`Week of ${day(latest.periodStart)} – ${day(latest.periodEnd)}`}
              </Text>
              <div data-testid="latest-digest">
                <DigestBody digest={latest} />
              </div>
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              No digest yet. The first is written next Monday, or now with the button above.
            </Text>
          )}
          {earlier.length ? (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Earlier weeks
              </Text>
              {earlier.map((d) => (
                <EarlierDigest key={d.id} digest={d} />
              ))}
            </BlockStack>
          ) : null}
        </BlockStack>
      </Card>
    </section>
  );
}
