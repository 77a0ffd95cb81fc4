import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";

import { SOURCE_LABEL } from "~/components/support/source-labels";
import { SUPPORT_TITLE, SupportTabs } from "~/components/support/SupportTabs";
import { prisma } from "~/db.server";
import { listTranscripts, transcriptQuery } from "~/services/support/list-transcripts.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = transcriptQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { query, transcripts: await listTranscripts({ db: prisma, shop: session.shop, query }) };
};

const SOURCE_OPTIONS = [
  { label: "Any source", value: "" },
  ...["faq", "order", "policy", "catalog", "llm", "handoff"].map((value) => ({ label: SOURCE_LABEL[value]!, value })),
];
const HANDOFF_OPTIONS = [
  { label: "With or without handoff", value: "" },
  { label: "Handed to your team", value: "yes" },
  { label: "Answered by the chat", value: "no" },
];

const when = (iso: string) =>
  new Date(iso).toLocaleString("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export default function SupportTranscripts() {
  const { query, transcripts } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [search, setSearch] = useState(query.q);
  const filtered = Boolean(query.q || query.source || query.handoff || query.language);

  /**
   * Applies a change to the URL's query; any change but paging goes back to page 1. It starts from
   * the browser's current URL, which a just-finished navigation has already updated even before
   * this component re-renders with the new search params.
   */
  const apply = (changes: Record<string, string>) => {
    const next = new URLSearchParams(typeof window === "undefined" ? params : window.location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page");
    navigate(`?${next.toString()}`);
  };

  const languageOptions = [
    { label: "Any language", value: "" },
    ...transcripts.languages.map((locale) => ({ label: locale, value: locale })),
  ];

  return (
    <Page>
      <TitleBar title={SUPPORT_TITLE} />
      <BlockStack gap="400">
        <SupportTabs selected="transcripts" />
        <Card>
          <BlockStack gap="300">
            <form
              role="search"
              onSubmit={(event) => {
                event.preventDefault();
                apply({ q: search.trim() });
              }}
            >
              <InlineStack gap="200" blockAlign="end" wrap={false}>
                <div style={{ flex: 1 }}>
                  <TextField
                    label="Search chats"
                    placeholder="Words shoppers or the chat used, such as refund or Canada"
                    value={search}
                    onChange={setSearch}
                    autoComplete="off"
                    clearButton
                    onClearButtonClick={() => {
                      setSearch("");
                      apply({ q: "" });
                    }}
                  />
                </div>
                <Button submit>Search</Button>
              </InlineStack>
            </form>
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
              <Select
                label="Answer source"
                options={SOURCE_OPTIONS}
                value={query.source}
                onChange={(source) => apply({ source })}
              />
              <Select
                label="Handoff"
                options={HANDOFF_OPTIONS}
                value={query.handoff}
                onChange={(handoff) => apply({ handoff })}
              />
              <Select
                label="Language"
                options={languageOptions}
                value={query.language}
                onChange={(language) => apply({ language })}
              />
            </InlineGrid>
            <Text as="p" tone="subdued">
              {transcripts.total === 1 ? "1 chat" : `${transcripts.total} chats`}
              {filtered ? (transcripts.total === 1 ? " matches" : " match") : ""}. Emails, phone numbers, card numbers
              and addresses were removed before saving.
            </Text>
          </BlockStack>
        </Card>
        {transcripts.dialogs.length === 0 ? (
          <Card>
            {filtered ? (
              <EmptyState
                heading="No chats match"
                action={{ content: "Clear search and filters", onAction: () => navigate("?") }}
                image=""
              >
                <p>Try other words, or fewer filters.</p>
              </EmptyState>
            ) : (
              <EmptyState
                heading="No chats yet"
                action={{ content: "Add chat answers", url: "/app/support/faq" }}
                image=""
              >
                <p>
                  Conversations shoppers have with your storefront chat appear here, with where each answer came from.
                </p>
              </EmptyState>
            )}
          </Card>
        ) : (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "chat", plural: "chats" }}
              itemCount={transcripts.dialogs.length}
              selectable={false}
              headings={[
                { title: "First question" },
                { title: "Shopper" },
                { title: "Language" },
                { title: "Answered from" },
                { title: "Handoff" },
                { title: "Last message" },
              ]}
            >
              {transcripts.dialogs.map((dialog, index) => (
                <IndexTable.Row
                  id={dialog.id}
                  key={dialog.id}
                  position={index}
                  onClick={() => navigate(`/app/support/transcripts/${dialog.id}`)}
                >
                  <IndexTable.Cell>
                    <Link to={`/app/support/transcripts/${dialog.id}`} onClick={(event) => event.stopPropagation()}>
                      <Text as="span" fontWeight="semibold">
                        {dialog.firstQuestion ? truncate(dialog.firstQuestion, 80) : "(no message)"}
                      </Text>
                    </Link>
                    <Text as="p" tone="subdued" variant="bodySm">
                      {dialog.messageCount} messages
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{dialog.shopper}</IndexTable.Cell>
                  <IndexTable.Cell>{dialog.locale ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {dialog.sources.some((source) => source !== "handoff") ? (
                      <InlineStack gap="100">
                        {dialog.sources
                          .filter((source) => source !== "handoff")
                          .map((source) => (
                            <Badge key={source}>{SOURCE_LABEL[source] ?? source}</Badge>
                          ))}
                      </InlineStack>
                    ) : (
                      <Text as="span" tone="subdued">
                        No answer
                      </Text>
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {dialog.handedOff ? <Badge tone="attention">Handed to your team</Badge> : <Text as="span">—</Text>}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{when(dialog.lastMessageAt)}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        )}
        {transcripts.pages > 1 ? (
          <InlineStack align="center">
            <Pagination
              hasPrevious={transcripts.page > 1}
              onPrevious={() => apply({ page: String(transcripts.page - 1) })}
              hasNext={transcripts.page < transcripts.pages}
              onNext={() => apply({ page: String(transcripts.page + 1) })}
              label={`Page ${transcripts.page} of ${transcripts.pages}`}
            />
          </InlineStack>
        ) : null}
      </BlockStack>
    </Page>
  );
}

const truncate = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);
