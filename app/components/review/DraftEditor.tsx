import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Button, FormLayout, InlineGrid, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { SafeHtml } from "~/components/review/SafeHtml";
import { COPY_LIMITS } from "~/services/content/copy/limits";
import { displayableHtml } from "~/services/content/copy/sanitize";
import type { ReviewItem } from "~/services/content/list-review-queue.server";

type Draft = ReviewItem["draft"];
type EditResult = { error: string | null; message: string | null; fieldErrors?: Record<string, string> };

const fieldsOf = (draft: Draft) => ({
  metaTitle: draft.metaTitle,
  metaDescription: draft.metaDescription,
  shortDescription: draft.shortDescription,
  descriptionHtml: draft.descriptionHtml,
  features: draft.features.join("\n"),
  useCases: draft.useCases.join("\n"),
  seoKeywords: draft.keywords.join("\n"),
});

/**
 * Edits a draft in place: the description's HTML beside the page it makes (sanitised exactly as
 * it will be published), lists one item per line, counters at the limits the server enforces.
 */
export function DraftEditor({ draft, onDone }: { draft: Draft; onDone: () => void }) {
  const editor = useFetcher<EditResult>();
  const [values, setValues] = useState(() => fieldsOf(draft));
  // A field's error stays until the merchant changes that field, then waits for the next save.
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const fieldErrors: Partial<Record<keyof typeof values, string>> =
    editor.state === "idle" ? (editor.data?.fieldErrors ?? {}) : {};
  const bind = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (value: string) => {
      setValues({ ...values, [name]: value });
      setChanged((names) => new Set(names).add(name));
    },
    error: changed.has(name) ? undefined : fieldErrors[name],
    autoComplete: "off",
  });
  const saved = editor.state === "idle" && editor.data?.message === "Draft saved.";
  const shopify = useAppBridge();
  useEffect(() => {
    if (!saved) return;
    shopify.toast.show("Draft saved");
    onDone();
  }, [saved, onDone, shopify]);
  return (
    <editor.Form method="post" onSubmit={() => setChanged(new Set())}>
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="versionId" value={draft.id} />
      <FormLayout>
        <TextField label="SEO title" showCharacterCount maxLength={COPY_LIMITS.metaTitle.max} {...bind("metaTitle")} />
        <TextField
          label="SEO description"
          multiline={2}
          showCharacterCount
          maxLength={COPY_LIMITS.metaDescription.max}
          {...bind("metaDescription")}
        />
        <TextField
          label="Short description"
          multiline={2}
          showCharacterCount
          maxLength={COPY_LIMITS.shortDescription.max}
          {...bind("shortDescription")}
        />
        <InlineGrid columns={2} gap="400">
          <TextField
            label="Description (HTML)"
            multiline={10}
            showCharacterCount
            maxLength={COPY_LIMITS.descriptionHtml.max}
            helpText="Allowed: paragraphs, headings, lists, bold, italic and line breaks. Anything else is removed."
            {...bind("descriptionHtml")}
          />
          <BlockStack gap="100">
            <Text as="h4" variant="headingSm" tone="subdued">
              Preview
            </Text>
            <SafeHtml html={displayableHtml(values.descriptionHtml)} label="Description preview" />
          </BlockStack>
        </InlineGrid>
        <InlineGrid columns={3} gap="400">
          <TextField
            label="Features"
            multiline={5}
            helpText={`One per line, ${COPY_LIMITS.features.minItems} to ${COPY_LIMITS.features.maxItems}.`}
            {...bind("features")}
          />
          <TextField
            label="Use cases"
            multiline={5}
            helpText={`One per line, ${COPY_LIMITS.useCases.minItems} to ${COPY_LIMITS.useCases.maxItems}.`}
            {...bind("useCases")}
          />
          <TextField
            label="Keywords"
            multiline={5}
            helpText={`One per line, ${COPY_LIMITS.seoKeywords.minItems} to ${COPY_LIMITS.seoKeywords.maxItems}.`}
            {...bind("seoKeywords")}
          />
        </InlineGrid>
        <InlineStack align="end" gap="200">
          <Button onClick={onDone}>Cancel</Button>
          <Button submit variant="primary" loading={editor.state !== "idle"}>
            Save draft
          </Button>
        </InlineStack>
      </FormLayout>
    </editor.Form>
  );
}
