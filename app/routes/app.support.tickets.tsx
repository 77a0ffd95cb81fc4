import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Button, Card, EmptyState, InlineStack, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";

import { SUPPORT_TITLE, SupportTabs } from "~/components/support/SupportTabs";
import { prisma } from "~/db.server";
import { listTickets, resolveTicket } from "~/services/support/manage-tickets.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { tickets: await listTickets({ db: prisma, shop: session.shop }) };
};

const resolveForm = z.object({ intent: z.literal("resolve"), id: z.string().min(1) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = resolveForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ ok: false, error: "Unknown action" }, { status: 400 });
  const found = await resolveTicket({ db: prisma, shop: session.shop, id: parsed.data.id });
  return found ? { ok: true } : Response.json({ ok: false, error: "Ticket not found" }, { status: 404 });
};

type Ticket = ReturnType<typeof useLoaderData<typeof loader>>["tickets"][number];

function TicketCard({ ticket }: { ticket: Ticket }) {
  const fetcher = useFetcher<{ ok: boolean }>();
  const shopify = useAppBridge();
  const [open, setOpen] = useState(false);
  // Optimistic: the ticket shows resolved as soon as the click is sent.
  const resolved = ticket.status === "RESOLVED" || fetcher.formData?.get("intent") === "resolve";
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) shopify.toast.show("Ticket marked resolved");
  }, [fetcher.state, fetcher.data, shopify]);
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingSm">
            {ticket.email}
          </Text>
          <Badge tone={resolved ? "success" : "attention"}>{resolved ? "Resolved" : "Open"}</Badge>
        </InlineStack>
        <Text as="p">{ticket.question}</Text>
        <Text as="p" tone="subdued">
          {new Date(ticket.createdAt).toLocaleString()}
          {ticket.locale ? ` · ${ticket.locale}` : ""}
        </Text>
        {open ? (
          <BlockStack gap="100">
            {ticket.transcript.map((turn, index) => (
              <Text as="p" key={index} tone={turn.role === "user" ? undefined : "subdued"}>
                {turn.role === "user" ? "Shopper: " : "Chat: "}
                {turn.text}
              </Text>
            ))}
          </BlockStack>
        ) : null}
        <InlineStack gap="200">
          <Button variant="plain" onClick={() => setOpen(!open)}>
            {open ? "Hide conversation" : `Show conversation (${ticket.transcript.length} messages)`}
          </Button>
          {resolved ? null : (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="resolve" />
              <input type="hidden" name="id" value={ticket.id} />
              <Button submit loading={fetcher.state !== "idle"}>
                Mark resolved
              </Button>
            </fetcher.Form>
          )}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function SupportTickets() {
  const { tickets } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title={SUPPORT_TITLE} />
      <BlockStack gap="400">
        <SupportTabs selected="tickets" />
        {tickets.length === 0 ? (
          <Card>
            <EmptyState
              heading="No support tickets yet"
              action={{ content: "Add chat answers", url: "/app/support/faq" }}
              image=""
            >
              <p>When the storefront chat cannot answer, shoppers leave their email and question here for you.</p>
            </EmptyState>
          </Card>
        ) : (
          tickets.map((ticket) => <TicketCard key={ticket.id} ticket={ticket} />)
        )}
      </BlockStack>
    </Page>
  );
}
