import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Button, Card, EmptyState, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";

import { FormSaveBar } from "~/components/FormSaveBar";
import { SUPPORT_TITLE, SupportTabs } from "~/components/support/SupportTabs";
import { prisma } from "~/db.server";
import { dismissFaqSuggestion, listFaqSuggestions } from "~/services/support/faq-suggestions.server";
import { createFaqEntry, deleteFaqEntry, faqEntryInput, listFaq } from "~/services/support/manage-faq.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [entries, suggestions] = await Promise.all([
    listFaq({ db: prisma, shop: session.shop }),
    listFaqSuggestions({ db: prisma, shop: session.shop }),
  ]);
  return { entries, suggestions };
};

const deleteForm = z.object({ intent: z.literal("delete"), id: z.string().min(1) });
const dismissForm = z.object({ intent: z.literal("dismiss"), key: z.string().min(1).max(500) });
const suggestionKey = z.string().min(1).max(500).optional().catch(undefined);

type ActionResult = { ok: true; intent: string } | { ok: false; errors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "delete") {
    const parsed = deleteForm.safeParse(form);
    const deleted = parsed.success && (await deleteFaqEntry({ db: prisma, shop: session.shop, id: parsed.data.id }));
    return deleted
      ? { ok: true, intent: "delete" }
      : Response.json({ ok: false, errors: { form: "That question no longer exists." } }, { status: 404 });
  }
  if (form.intent === "dismiss") {
    const parsed = dismissForm.safeParse(form);
    if (!parsed.success) return Response.json({ ok: false, errors: { form: "Unknown suggestion" } }, { status: 400 });
    await dismissFaqSuggestion({ db: prisma, shop: session.shop, key: parsed.data.key });
    return { ok: true, intent: "dismiss" } satisfies ActionResult;
  }
  const parsed = faqEntryInput.safeParse(form);
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
    return Response.json({ ok: false, errors } satisfies ActionResult, { status: 400 });
  }
  await createFaqEntry({ db: prisma, shop: session.shop, entry: parsed.data });
  // Added from a suggestion: stop suggesting it, even if the merchant reworded the question.
  const fromSuggestion = suggestionKey.parse(form.suggestionKey);
  if (fromSuggestion) await dismissFaqSuggestion({ db: prisma, shop: session.shop, key: fromSuggestion });
  return { ok: true, intent: "create" } satisfies ActionResult;
};

const EMPTY = { question: "", answer: "", locale: "" };

/** A suggestion the merchant chose to add: the form starts with its question and language. */
interface Prefill {
  key: string;
  question: string;
  locale: string | null;
}

/** The create form's fetcher, shared by key so the toast survives the form's remount after a save. */
const CREATE_FETCHER = "faq-create";

// Keyed by the entry count and the prefill: after a save the list grows and the form starts again
// empty and clean; choosing a suggestion starts it with the suggestion's question.
function NewEntryForm({ prefill, onDiscard }: { prefill: Prefill | null; onDiscard: () => void }) {
  const fetcher = useFetcher<ActionResult>({ key: CREATE_FETCHER });
  const initial = prefill ? { question: prefill.question, answer: "", locale: prefill.locale ?? "" } : EMPTY;
  const [values, setValues] = useState(initial);
  const dirty = values.question !== "" || values.answer !== "" || values.locale !== "";
  const saving = fetcher.state !== "idle";
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const save = () =>
    fetcher.submit(
      { intent: "create", ...values, ...(prefill ? { suggestionKey: prefill.key } : {}) },
      { method: "post" },
    );
  return (
    <Card>
      <FormSaveBar
        id="faq-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={save}
        onDiscard={() => {
          setValues(EMPTY);
          onDiscard();
        }}
      />
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          {prefill ? "Add a suggested question" : "Add a question"}
        </Text>
        {prefill ? (
          <Text as="p" tone="subdued">
            Write the answer the chat should give, then save. You can reword the question too.
          </Text>
        ) : null}
        <TextField
          label="Question shoppers ask"
          value={values.question}
          onChange={(question) => setValues({ ...values, question })}
          error={errors.question}
          autoComplete="off"
        />
        <TextField
          label="Answer"
          value={values.answer}
          onChange={(answer) => setValues({ ...values, answer })}
          focused={prefill !== null}
          error={errors.answer}
          multiline={3}
          autoComplete="off"
        />
        <TextField
          label="Language"
          helpText="The language this entry is written in, such as en or fr. Leave empty for any language."
          value={values.locale}
          onChange={(locale) => setValues({ ...values, locale })}
          error={errors.locale}
          autoComplete="off"
        />
      </BlockStack>
    </Card>
  );
}

function EntryCard({ entry }: { entry: { id: string; question: string; answer: string; locale: string | null } }) {
  const fetcher = useFetcher<ActionResult>();
  if (fetcher.formData?.get("intent") === "delete") return null;
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {entry.question}
          </Text>
          <Text as="span" tone="subdued">
            {entry.locale ?? "any language"}
          </Text>
        </InlineStack>
        <Text as="p">{entry.answer}</Text>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="id" value={entry.id} />
          <Button submit variant="plain" tone="critical">
            Delete
          </Button>
        </fetcher.Form>
      </BlockStack>
    </Card>
  );
}

type Suggestion = ReturnType<typeof useLoaderData<typeof loader>>["suggestions"][number];

function SuggestionRow({ suggestion, onAdd }: { suggestion: Suggestion; onAdd: () => void }) {
  const fetcher = useFetcher<ActionResult>();
  // Optimistic: a dismissed suggestion leaves the list at once.
  if (fetcher.formData?.get("intent") === "dismiss") return null;
  return (
    <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
      <BlockStack gap="050">
        <Text as="p" fontWeight="semibold">
          {suggestion.question}
        </Text>
        <InlineStack gap="200">
          <Badge tone="attention">
            {suggestion.chats === 1 ? "Asked in 1 chat" : `Asked in ${suggestion.chats} chats`}
          </Badge>
          <Text as="span" tone="subdued" variant="bodySm">
            {suggestion.locale ?? "language not known"} · last asked{" "}
            {new Date(suggestion.lastAskedAt).toLocaleDateString("en", { month: "short", day: "numeric" })}
          </Text>
        </InlineStack>
      </BlockStack>
      <InlineStack gap="200" wrap={false}>
        <Button onClick={onAdd} accessibilityLabel={`Add to FAQ: ${suggestion.question}`}>
          Add to FAQ
        </Button>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="dismiss" />
          <input type="hidden" name="key" value={suggestion.key} />
          <Button submit variant="plain" accessibilityLabel={`Dismiss: ${suggestion.question}`}>
            Dismiss
          </Button>
        </fetcher.Form>
      </InlineStack>
    </InlineStack>
  );
}

export default function SupportFaq() {
  const { entries, suggestions } = useLoaderData<typeof loader>();
  const [chosen, setPrefill] = useState<Prefill | null>(null);
  // Once saved, the suggestion leaves the list (its key is recorded), and the form starts empty.
  const prefill = chosen && suggestions.some((suggestion) => suggestion.key === chosen.key) ? chosen : null;
  const created = useFetcher<ActionResult>({ key: CREATE_FETCHER });
  const shopify = useAppBridge();
  useEffect(() => {
    if (created.state === "idle" && created.data?.ok && created.data.intent === "create") {
      shopify.toast.show("Question added");
    }
  }, [created.state, created.data, shopify]);
  return (
    <Page>
      <TitleBar title={SUPPORT_TITLE} />
      <BlockStack gap="400">
        <SupportTabs selected="faq" />
        <Text as="p" tone="subdued">
          The storefront chat answers from these first, in the shopper&apos;s language when an entry is written in it.
          Questions they do not cover go to the AI assistant, then to you as support tickets.
        </Text>
        {suggestions.length > 0 ? (
          <section aria-label="Suggested questions">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  Suggested questions
                </Text>
                <Text as="p" tone="subdued">
                  Shoppers asked these in the last 90 days and the chat could not answer, so it offered them a person.
                  Add an answer and the chat will answer them itself.
                </Text>
                {suggestions.map((suggestion) => (
                  <SuggestionRow
                    key={suggestion.key}
                    suggestion={suggestion}
                    onAdd={() =>
                      setPrefill({ key: suggestion.key, question: suggestion.question, locale: suggestion.locale })
                    }
                  />
                ))}
              </BlockStack>
            </Card>
          </section>
        ) : null}
        <NewEntryForm
          key={`${entries.length}|${prefill?.key ?? ""}`}
          prefill={prefill}
          onDiscard={() => setPrefill(null)}
        />
        {entries.length === 0 ? (
          <Card>
            <EmptyState heading="No chat answers yet" image="">
              <p>Add the questions shoppers ask most (shipping, returns, sizes) so the chat answers them at once.</p>
            </EmptyState>
          </Card>
        ) : (
          entries.map((entry) => <EntryCard key={entry.id} entry={entry} />)
        )}
      </BlockStack>
    </Page>
  );
}
