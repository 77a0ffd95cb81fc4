import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, EmptyState, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";

import { FormSaveBar } from "~/components/FormSaveBar";
import { prisma } from "~/db.server";
import { createFaqEntry, deleteFaqEntry, faqEntryInput, listFaq } from "~/services/support/manage-faq.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { entries: await listFaq({ db: prisma, shop: session.shop }) };
};

const deleteForm = z.object({ intent: z.literal("delete"), id: z.string().min(1) });

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
  const parsed = faqEntryInput.safeParse(form);
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
    return Response.json({ ok: false, errors } satisfies ActionResult, { status: 400 });
  }
  await createFaqEntry({ db: prisma, shop: session.shop, entry: parsed.data });
  return { ok: true, intent: "create" } satisfies ActionResult;
};

const EMPTY = { question: "", answer: "", locale: "" };

/** The create form's fetcher, shared by key so the toast survives the form's remount after a save. */
const CREATE_FETCHER = "faq-create";

// Keyed by the entry count: after a save the list grows and the form starts again empty and clean.
function NewEntryForm() {
  const fetcher = useFetcher<ActionResult>({ key: CREATE_FETCHER });
  const [values, setValues] = useState(EMPTY);
  const dirty = values.question !== "" || values.answer !== "" || values.locale !== "";
  const saving = fetcher.state !== "idle";
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const save = () => fetcher.submit({ intent: "create", ...values }, { method: "post" });
  return (
    <Card>
      <FormSaveBar id="faq-save-bar" dirty={dirty} saving={saving} onSave={save} onDiscard={() => setValues(EMPTY)} />
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Add a question
        </Text>
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

export default function SupportFaq() {
  const { entries } = useLoaderData<typeof loader>();
  const created = useFetcher<ActionResult>({ key: CREATE_FETCHER });
  const shopify = useAppBridge();
  useEffect(() => {
    if (created.state === "idle" && created.data?.ok && created.data.intent === "create")
      shopify.toast.show("Question added");
  }, [created.state, created.data, shopify]);
  return (
    <Page>
      <TitleBar title="Chat FAQ" />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          The storefront chat answers from these first, in the shopper&apos;s language when an entry is written in it.
          Questions they do not cover go to the AI assistant, then to you as support tickets.
        </Text>
        <NewEntryForm key={entries.length} />
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
