import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Button, Card, EmptyState, InlineStack, Page, Text } from "@shopify/polaris";
import { useState } from "react";

import { prisma } from "~/db.server";
import { listTranscripts } from "~/services/support/list-transcripts.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { dialogs: await listTranscripts({ db: prisma, shop: session.shop }) };
};

/** Where an answer came from, in a merchant's words. */
const SOURCE_LABEL: Record<string, string> = {
  faq: "From your FAQ",
  policy: "From your policies",
  catalog: "From your catalog",
  order: "Order status",
  llm: "AI answer",
  handoff: "Handed to your team",
};

type Dialog = ReturnType<typeof useLoaderData<typeof loader>>["dialogs"][number];

function DialogCard({ dialog }: { dialog: Dialog }) {
  const [open, setOpen] = useState(false);
  const first = dialog.messages.find((message) => message.role === "user");
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingSm">
            {first?.text.slice(0, 120) ?? "(no message)"}
          </Text>
          <Text as="span" tone="subdued">
            {dialog.shopper} · {new Date(dialog.lastMessageAt).toLocaleString()}
            {dialog.locale ? ` · ${dialog.locale}` : ""}
          </Text>
        </InlineStack>
        {open
          ? dialog.messages.map((message) => (
              <InlineStack key={message.id} gap="200" blockAlign="start" wrap={false}>
                <Text as="span" fontWeight="semibold">
                  {message.role === "user" ? "Shopper" : "Chat"}
                </Text>
                <Text as="p">{message.text}</Text>
                {message.source ? <Badge>{SOURCE_LABEL[message.source] ?? message.source}</Badge> : null}
              </InlineStack>
            ))
          : null}
        <Button variant="plain" onClick={() => setOpen(!open)}>
          {open ? "Hide conversation" : `Show conversation (${dialog.messages.length} messages)`}
        </Button>
      </BlockStack>
    </Card>
  );
}

export default function SupportTranscripts() {
  const { dialogs } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Chat transcripts" />
      <BlockStack gap="400">
        {dialogs.length === 0 ? (
          <Card>
            <EmptyState
              heading="No chats yet"
              action={{ content: "Add chat answers", url: "/app/support/faq" }}
              image=""
            >
              <p>
                Conversations shoppers have with your storefront chat appear here, with where each answer came from.
              </p>
            </EmptyState>
          </Card>
        ) : (
          dialogs.map((dialog) => <DialogCard key={dialog.id} dialog={dialog} />)
        )}
      </BlockStack>
    </Page>
  );
}
