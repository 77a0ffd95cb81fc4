import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";

import { SOURCE_LABEL } from "~/components/support/source-labels";
import { SUPPORT_TITLE, SupportTabs } from "~/components/support/SupportTabs";
import { prisma } from "~/db.server";
import { readTranscript } from "~/services/support/list-transcripts.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const transcript = await readTranscript({ db: prisma, shop: session.shop, id: params.id ?? "" });
  // Another shop's dialog is the same 404 as a missing one.
  if (!transcript) throw new Response("Not found", { status: 404 });
  return { transcript };
};

const when = (iso: string) =>
  new Date(iso).toLocaleString("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const latency = (ms: number | null) => (ms === null ? null : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`);

export default function SupportTranscript() {
  const { transcript } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title={SUPPORT_TITLE} />
      <BlockStack gap="400">
        <SupportTabs selected="transcripts" />
        <Link to="/app/support/transcripts">← All chats</Link>
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Conversation
                </Text>
                {transcript.messages.map((message) => (
                  <Box
                    key={message.id}
                    padding="300"
                    borderRadius="200"
                    background={message.role === "user" ? "bg-surface-secondary" : "bg-surface-info"}
                  >
                    <BlockStack gap="100">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="span" fontWeight="semibold">
                          {message.role === "user" ? "Shopper" : "Chat"}
                        </Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {when(message.createdAt)}
                          {message.role === "assistant" && latency(message.latencyMs)
                            ? ` · answered in ${latency(message.latencyMs)}`
                            : ""}
                        </Text>
                        {message.source ? (
                          <Badge tone={message.source === "handoff" ? "attention" : undefined}>
                            {SOURCE_LABEL[message.source] ?? message.source}
                          </Badge>
                        ) : null}
                      </InlineStack>
                      <Text as="p">{message.text}</Text>
                    </BlockStack>
                  </Box>
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Details
                  </Text>
                  <Text as="p">{transcript.shopper}</Text>
                  <Text as="p" tone="subdued">
                    Language: {transcript.locale ?? "not known"}
                  </Text>
                  <Text as="p" tone="subdued">
                    Started {when(transcript.startedAt)}, last message {when(transcript.lastMessageAt)}
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Support tickets
                  </Text>
                  {transcript.tickets.length === 0 ? (
                    <Text as="p" tone="subdued">
                      The shopper did not ask for a person in this chat.
                    </Text>
                  ) : (
                    transcript.tickets.map((ticket) => (
                      <InlineStack key={ticket.id} gap="200" blockAlign="center">
                        <Badge tone={ticket.status === "RESOLVED" ? "success" : "attention"}>
                          {ticket.status === "RESOLVED" ? "Resolved" : "Open"}
                        </Badge>
                        <Link to="/app/support/tickets">{ticket.question.slice(0, 60)}</Link>
                      </InlineStack>
                    ))
                  )}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Orders after this chat
                  </Text>
                  {transcript.orders.length === 0 ? (
                    <Text as="p" tone="subdued">
                      No order has come from this chat&apos;s cart yet.
                    </Text>
                  ) : (
                    transcript.orders.map((order) => (
                      <Text as="p" key={order.name}>
                        {order.name} · {order.subtotal} {order.currency} · {when(order.processedAt)}
                        {order.counted ? "" : " (test or cancelled: not counted)"}
                      </Text>
                    ))
                  )}
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
