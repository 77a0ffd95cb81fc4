import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  InlineGrid,
  InlineStack,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";

import { FormSaveBar } from "~/components/FormSaveBar";
import { keyLabel, kindName, languageName } from "~/components/translations/labels";
import { storeForRequest } from "~/composition.server";
import { prisma } from "~/db.server";
import { actionStatus, isAppError } from "~/lib/errors";
import {
  loadResourceTranslations,
  type KeyTranslationState,
  type SideBySideField,
} from "~/services/translations/load-translation-status.server";
import { registerHumanTranslation } from "~/services/translations/register-human-translation.server";
import { replaceWithAiTranslation } from "~/services/translations/replace-with-ai-translation.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const resourceId = z.string().min(1).max(200).parse(params.resourceId);
  const view = await loadResourceTranslations({
    db: prisma,
    store: storeForRequest(session.shop),
    shop: session.shop,
    resourceId,
  });
  if (!view) throw new Response("Not found", { status: 404 });
  return view;
};

const target = {
  resourceId: z.string().min(1).max(200),
  key: z.string().min(1).max(100),
  locale: z.string().min(2).max(20),
};
const actionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("edit"), ...target, value: z.string().max(100_000) }),
  z.object({ intent: z.literal("replace"), ...target }),
]);

type ActionResult = { ok: true; intent: "edit" | "replace" } | { ok: false; error: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = actionForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data<ActionResult>({ ok: false, error: "That field could not be read." }, { status: 400 });
  const { intent, ...input } = parsed.data;
  try {
    if (intent === "edit") {
      await registerHumanTranslation({
        db: prisma,
        store: storeForRequest(session.shop),
        shop: session.shop,
        ...input,
        value: parsed.data.intent === "edit" ? parsed.data.value : "",
      });
    } else {
      await replaceWithAiTranslation({ db: prisma, shop: session.shop, ...input });
    }
    return { ok: true, intent } satisfies ActionResult;
  } catch (error) {
    if (isAppError(error))
      return data<ActionResult>({ ok: false, error: error.userMessage }, { status: actionStatus(error) });
    throw error;
  }
};

const STATE_BADGES: Record<
  KeyTranslationState,
  { label: string; tone?: "success" | "warning" | "critical" | "info" | "attention" }
> = {
  translated: { label: "Translated", tone: "success" },
  outdated: { label: "Outdated", tone: "warning" },
  missing: { label: "Missing", tone: "attention" },
  edited: { label: "Edited by you", tone: "info" },
  failed: { label: "Failed", tone: "critical" },
  skipped: { label: "Skipped" },
};

/** HTML shown as its text (the editor keeps the tags); the store's values are never rendered as HTML. */
function readable(value: string, format: string) {
  return format === "html"
    ? value
        .replace(/<[^>]*>/g, " ")
        .replace(/\s+/g, " ")
        .trim()
    : value;
}

function fieldId(field: SideBySideField, locale: string) {
  return `${field.resourceId}\u0000${field.key}\u0000${locale}`;
}

function TranslationCell({
  field,
  locale,
  editing,
  onEdit,
  onDone,
}: {
  field: SideBySideField;
  locale: string;
  editing: boolean;
  onEdit: () => void;
  onDone: () => void;
}) {
  const translation = field.translations[locale]!;
  const saver = useFetcher<ActionResult>();
  const replacer = useFetcher<ActionResult>();
  const shopify = useAppBridge();
  const saved = translation.value ?? "";
  const [value, setValue] = useState(saved);
  const modalId = `replace-${field.resourceId}-${field.key}-${locale}`.replace(/[^A-Za-z0-9_-]/g, "-");
  const saving = saver.state !== "idle";
  const optimistic = saver.formData ? String(saver.formData.get("value")) : null;

  // One save is one toast: the answer is handled once, however often the cell renders.
  const handled = useRef<ActionResult | null>(null);
  useEffect(() => {
    if (saver.state !== "idle" || !saver.data || handled.current === saver.data) return;
    handled.current = saver.data;
    if (saver.data.ok) {
      shopify.toast.show("Translation saved");
      onDone();
    }
  }, [saver.state, saver.data, shopify, onDone]);
  useEffect(() => {
    if (replacer.state === "idle" && replacer.data?.ok) shopify.toast.show("Replacing with the AI translation");
  }, [replacer.state, replacer.data, shopify]);

  const submitEdit = () =>
    saver.submit({ intent: "edit", resourceId: field.resourceId, key: field.key, locale, value }, { method: "post" });
  const badge =
    replacer.state !== "idle" || replacer.data?.ok
      ? { label: "Queued for AI translation", tone: "attention" as const }
      : STATE_BADGES[translation.state];
  const label = `${keyLabel(field.key)} in ${languageName(locale)}`;
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" variant="headingXs">
          {languageName(locale)}
        </Text>
        <Badge tone={badge.tone}>{badge.label}</Badge>
      </InlineStack>
      {translation.state === "failed" && translation.reason ? (
        <Text as="p" tone="critical">
          {translation.reason}
        </Text>
      ) : null}
      {editing ? (
        <>
          <FormSaveBar
            id={`save-${modalId}`}
            dirty={value !== saved}
            saving={saving}
            onSave={submitEdit}
            onDiscard={() => {
              setValue(saved);
              onDone();
            }}
          />
          <TextField
            label={label}
            value={value}
            onChange={setValue}
            multiline={field.format === "html" || field.format === "multiline" ? 4 : undefined}
            autoComplete="off"
            error={saver.data && !saver.data.ok ? saver.data.error : undefined}
            helpText={
              field.format === "html"
                ? "Keep the HTML tags as in the original. Your translation is kept: automatic runs never overwrite it."
                : "Your translation is kept: automatic runs never overwrite it."
            }
          />
          <InlineStack gap="200">
            <Button
              onClick={() => {
                setValue(saved);
                onDone();
              }}
              disabled={saving}
            >
              Cancel
            </Button>
          </InlineStack>
        </>
      ) : (
        <>
          <Text as="p" tone={translation.value ? undefined : "subdued"}>
            {readable(optimistic ?? translation.value ?? "", field.format) || "No translation yet"}
          </Text>
          <InlineStack gap="200">
            <Button variant="plain" onClick={onEdit} accessibilityLabel={`Edit ${label}`}>
              Edit
            </Button>
            {translation.state === "edited" && translation.value ? (
              <Button
                variant="plain"
                onClick={() => void shopify.modal.show(modalId)}
                disabled={replacer.state !== "idle" || Boolean(replacer.data?.ok)}
                accessibilityLabel={`Replace ${label} with AI translation`}
              >
                Replace with AI translation
              </Button>
            ) : null}
          </InlineStack>
          {replacer.data && !replacer.data.ok ? (
            <Text as="p" tone="critical">
              {replacer.data.error}
            </Text>
          ) : null}
        </>
      )}
      <Modal id={modalId}>
        <Box padding="400">
          <Text as="p">
            {`Your ${keyLabel(field.key).toLowerCase()} in ${languageName(locale)} will be replaced with a new AI translation (your glossary and do-not-translate terms apply). After that, automatic runs keep it up to date again.`}
          </Text>
        </Box>
        <TitleBar title="Replace your translation?">
          <button
            variant="primary"
            onClick={() => {
              void shopify.modal.hide(modalId);
              replacer.submit(
                { intent: "replace", resourceId: field.resourceId, key: field.key, locale },
                { method: "post" },
              );
            }}
          >
            Replace with AI translation
          </button>
          <button onClick={() => void shopify.modal.hide(modalId)}>Cancel</button>
        </TitleBar>
      </Modal>
    </BlockStack>
  );
}

export default function ResourceTranslations() {
  const view = useLoaderData<typeof loader>();
  const [editing, setEditing] = useState<string | null>(null);
  // A product option or image has no title: its name or alt text names it.
  const title = view.fields.find(
    (field) => field.resourceId === view.resourceId && ["title", "name", "alt"].includes(field.key),
  )?.source;
  return (
    <Page>
      <TitleBar title="Translations" />
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {`${kindName(view.kind)}: ${title ?? view.resourceId}`}
          </Text>
          <RemixLink to="/app/translations" className="Polaris-Link">
            All translations
          </RemixLink>
        </InlineStack>
        {view.locales.length === 0 ? (
          <Card>
            <Text as="p">
              Your store has no other published language. Add one in Shopify admin → Settings → Languages.
            </Text>
          </Card>
        ) : null}
        {view.fields.map((field) => (
          <Card key={`${field.resourceId}-${field.key}`}>
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">
                {field.resourceId === view.resourceId
                  ? keyLabel(field.key)
                  : `${kindName(field.kind)}: ${keyLabel(field.key)}`}
              </Text>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                <BlockStack gap="200">
                  <Text as="span" variant="headingXs" tone="subdued">
                    Original
                  </Text>
                  <Text as="p">{readable(field.source, field.format)}</Text>
                </BlockStack>
                <BlockStack gap="300">
                  {view.locales.map((locale, index) => (
                    <BlockStack key={locale} gap="300">
                      {index > 0 ? <Divider /> : null}
                      <TranslationCell
                        field={field}
                        locale={locale}
                        editing={editing === fieldId(field, locale)}
                        onEdit={() => setEditing(fieldId(field, locale))}
                        onDone={() => setEditing(null)}
                      />
                    </BlockStack>
                  ))}
                </BlockStack>
              </InlineGrid>
            </BlockStack>
          </Card>
        ))}
      </BlockStack>
    </Page>
  );
}
