import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";

import { FormSaveBar } from "~/components/FormSaveBar";
import { languageName } from "~/components/translations/labels";
import { storeForRequest } from "~/composition.server";
import { prisma } from "~/db.server";
import type { GlossaryCsvError } from "~/services/translations/glossary-csv";
import { importGlossaryCsv } from "~/services/translations/glossary-csv.server";
import { loadTranslationSettings } from "~/services/translations/load-translation-settings.server";
import { loadTargetLocales } from "~/services/translations/load-translation-status.server";
import { replaceGlossary, updateTranslationSettings } from "~/services/translations/update-translation-settings.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [settings, locales] = await Promise.all([
    loadTranslationSettings(prisma, session.shop),
    loadTargetLocales({ db: prisma, store: storeForRequest(session.shop), shop: session.shop }),
  ]);
  const glossary = Object.entries(settings.glossary).flatMap(([locale, terms]) =>
    terms.map((term) => ({ locale, ...term })),
  );
  return {
    saved: {
      autoTranslate: settings.autoTranslate,
      locales: settings.locales,
      translateHandles: settings.translateHandles,
      doNotTranslate: settings.doNotTranslate.join("\n"),
      glossary,
    },
    available: locales.published.filter((locale) => locale !== locales.primary),
  };
};

type ActionResult =
  | { ok: true; intent: "save" }
  | { ok: true; intent: "import"; imported: number }
  | { ok: false; intent: "save"; errors: Record<string, string> }
  | { ok: false; intent: "import"; rowErrors: GlossaryCsvError[] };

const saveForm = z.object({ intent: z.literal("save"), payload: z.string().max(5_000_000) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") === "import") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      return data<ActionResult>(
        { ok: false, intent: "import", rowErrors: [{ row: 0, message: "Choose a CSV file to import" }] },
        { status: 400 },
      );
    }
    const result = await importGlossaryCsv({ db: prisma, shop: session.shop, text: await file.text() });
    return result.ok
      ? ({ ok: true, intent: "import", imported: result.imported } satisfies ActionResult)
      : data<ActionResult>({ ok: false, intent: "import", rowErrors: result.errors }, { status: 400 });
  }
  const parsed = saveForm.safeParse(Object.fromEntries(form));
  const payload = parsed.success ? (JSON.parse(parsed.data.payload) as Record<string, unknown>) : {};
  const settings = await updateTranslationSettings({ db: prisma, shop: session.shop, input: payload.settings });
  if (!settings.ok) return data<ActionResult>({ ok: false, intent: "save", errors: settings.errors }, { status: 400 });
  const glossary = await replaceGlossary({ db: prisma, shop: session.shop, input: payload.glossary });
  if (!glossary.ok) {
    const errors = Object.fromEntries(Object.entries(glossary.errors).map(([path, m]) => [`glossary.${path}`, m]));
    return data<ActionResult>({ ok: false, intent: "save", errors }, { status: 400 });
  }
  return { ok: true, intent: "save" } satisfies ActionResult;
};

type Saved = Awaited<ReturnType<typeof loader>>["saved"];
type Term = Saved["glossary"][number];

const SAVE_FETCHER = "translation-settings-save";

/** Downloads through fetch, which App Bridge signs with the session token (a plain link is not). */
async function downloadGlossary(): Promise<void> {
  const response = await fetch("/app/translations/glossary.csv");
  if (!response.ok) throw new Error(`download failed (${response.status})`);
  const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename ?? "storewise-glossary.csv";
  link.click();
  URL.revokeObjectURL(url);
}

function terms(text: string) {
  return text
    .split(/[\n,]/)
    .map((term) => term.trim())
    .filter(Boolean);
}

function SettingsForm({ saved, available }: { saved: Saved; available: string[] }) {
  const fetcher = useFetcher<ActionResult>({ key: SAVE_FETCHER });
  const [values, setValues] = useState(saved);
  const dirty = JSON.stringify(values) !== JSON.stringify(saved);
  const saving = fetcher.state !== "idle";
  const errors = fetcher.data && !fetcher.data.ok && fetcher.data.intent === "save" ? fetcher.data.errors : {};
  const save = () =>
    fetcher.submit(
      {
        intent: "save",
        payload: JSON.stringify({
          settings: {
            autoTranslate: values.autoTranslate,
            locales: values.locales,
            translateHandles: values.translateHandles,
            doNotTranslate: terms(values.doNotTranslate),
          },
          glossary: values.glossary,
        }),
      },
      { method: "post" },
    );
  const setTerm = (index: number, patch: Partial<Term>) =>
    setValues({ ...values, glossary: values.glossary.map((term, i) => (i === index ? { ...term, ...patch } : term)) });
  const localeOptions = available.map((locale) => ({ label: languageName(locale), value: locale }));
  return (
    <Layout>
      <FormSaveBar
        id="translation-settings-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={save}
        onDiscard={() => setValues(saved)}
      />
      <Layout.AnnotatedSection
        title="Languages"
        description="Storewise translates into your store's published languages. Add one in Shopify admin → Settings → Languages."
      >
        <Card>
          <BlockStack gap="300">
            {available.length === 0 ? (
              <Text as="p" tone="subdued">
                Your store publishes no other language yet.
              </Text>
            ) : (
              <BlockStack gap="100">
                <Text as="p">Languages to translate into automatically (none chosen = all of them)</Text>
                {available.map((locale) => (
                  <Checkbox
                    key={locale}
                    label={languageName(locale)}
                    checked={values.locales.includes(locale)}
                    onChange={(checked) =>
                      setValues({
                        ...values,
                        locales: checked ? [...values.locales, locale] : values.locales.filter((l) => l !== locale),
                      })
                    }
                  />
                ))}
              </BlockStack>
            )}
            {errors.locales ? (
              <Text as="p" tone="critical">
                {errors.locales}
              </Text>
            ) : null}
            <Checkbox
              label="Translate automatically after copy is published and when a product changes"
              checked={values.autoTranslate}
              onChange={(autoTranslate) => setValues({ ...values, autoTranslate })}
            />
            <Checkbox
              label="Translate URL handles"
              helpText="Gives each product, collection and page a URL in its language."
              checked={values.translateHandles}
              onChange={(translateHandles) => setValues({ ...values, translateHandles })}
            />
            {values.translateHandles ? (
              <Banner tone="warning">
                Translated handles change the URLs of your pages in those languages. Links shared before, and search
                results, may point to the old URLs until search engines crawl again.
              </Banner>
            ) : null}
          </BlockStack>
        </Card>
      </Layout.AnnotatedSection>
      <Layout.AnnotatedSection
        title="Terms"
        description="Every translation run uses these, automatic or by hand, for every kind of content."
      >
        <BlockStack gap="400">
          <Card>
            <TextField
              label="Never translate"
              helpText="Brand and product-line names kept exactly as written, one per line or separated by commas."
              value={values.doNotTranslate}
              onChange={(doNotTranslate) => setValues({ ...values, doNotTranslate })}
              multiline={3}
              autoComplete="off"
              error={
                errors.doNotTranslate ?? Object.entries(errors).find(([path]) => path.startsWith("doNotTranslate"))?.[1]
              }
            />
          </Card>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingSm">
                Glossary
              </Text>
              <Text as="p" tone="subdued">
                How a term must be translated in each language. The glossary applies to every translation run; a term
                can be several words.
              </Text>
              {values.glossary.length === 0 ? (
                <Text as="p" tone="subdued">
                  No glossary terms yet. Add one, or import a CSV file.
                </Text>
              ) : null}
              {values.glossary.map((term, index) => (
                <InlineGrid key={index} columns={{ xs: 1, md: 4 }} gap="200" alignItems="end">
                  <Select
                    label={`Language of term ${index + 1}`}
                    labelHidden={index > 0}
                    options={
                      localeOptions.some((option) => option.value === term.locale)
                        ? localeOptions
                        : [{ label: term.locale || "Choose", value: term.locale }, ...localeOptions]
                    }
                    value={term.locale}
                    onChange={(locale) => setTerm(index, { locale })}
                    error={errors[`glossary.${index}.locale`]}
                  />
                  <TextField
                    label={`Term ${index + 1}`}
                    labelHidden={index > 0}
                    value={term.source}
                    onChange={(source) => setTerm(index, { source })}
                    autoComplete="off"
                    error={errors[`glossary.${index}.source`]}
                  />
                  <TextField
                    label={`Translation of term ${index + 1}`}
                    labelHidden={index > 0}
                    value={term.target}
                    onChange={(target) => setTerm(index, { target })}
                    autoComplete="off"
                    error={errors[`glossary.${index}.target`]}
                  />
                  <InlineStack gap="300" blockAlign="center" wrap={false}>
                    <Checkbox
                      label="Match case"
                      checked={term.caseSensitive}
                      onChange={(caseSensitive) => setTerm(index, { caseSensitive })}
                    />
                    <Button
                      variant="plain"
                      tone="critical"
                      accessibilityLabel={`Remove term ${index + 1}`}
                      onClick={() => setValues({ ...values, glossary: values.glossary.filter((_, i) => i !== index) })}
                    >
                      Remove
                    </Button>
                  </InlineStack>
                </InlineGrid>
              ))}
              {errors.glossary ? (
                <Text as="p" tone="critical">
                  {errors.glossary}
                </Text>
              ) : null}
              <InlineStack>
                <Button
                  onClick={() =>
                    setValues({
                      ...values,
                      glossary: [
                        ...values.glossary,
                        { locale: available[0] ?? "", source: "", target: "", caseSensitive: false },
                      ],
                    })
                  }
                >
                  Add term
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </BlockStack>
      </Layout.AnnotatedSection>
    </Layout>
  );
}

function GlossaryFile() {
  const fetcher = useFetcher<ActionResult>();
  const shopify = useAppBridge();
  const [exportError, setExportError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const handled = useRef<ActionResult | null>(null);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data || handled.current === fetcher.data) return;
    handled.current = fetcher.data;
    if (fetcher.data.ok && fetcher.data.intent === "import")
      shopify.toast.show(`Imported ${fetcher.data.imported === 1 ? "1 term" : `${fetcher.data.imported} terms`}`);
  }, [fetcher.state, fetcher.data, shopify]);
  const rowErrors = fetcher.data && !fetcher.data.ok && fetcher.data.intent === "import" ? fetcher.data.rowErrors : [];
  return (
    <Layout.AnnotatedSection
      title="Glossary file"
      description="Columns: locale, source, target, case_sensitive (true or false). An import is saved at once: its terms replace the same term in the same language and add the rest. A file with a bad row imports nothing."
    >
      <Card>
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center">
            <Button
              onClick={() => {
                setExportError(null);
                downloadGlossary().catch(() => setExportError("The glossary could not be downloaded. Try again."));
              }}
            >
              Export CSV
            </Button>
            <label htmlFor="glossary-csv-file">
              <Text as="span">Import CSV</Text>
            </label>
            <input
              id="glossary-csv-file"
              ref={input}
              type="file"
              accept=".csv,text/csv"
              disabled={fetcher.state !== "idle"}
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                if (!file) return;
                const form = new FormData();
                form.set("intent", "import");
                form.set("file", file);
                fetcher.submit(form, { method: "post", encType: "multipart/form-data" });
                event.currentTarget.value = "";
              }}
            />
          </InlineStack>
          {exportError ? <Banner tone="critical">{exportError}</Banner> : null}
          {rowErrors.length > 0 ? (
            <Banner tone="critical" title="Nothing was imported. Fix these rows and import the file again:">
              <List>
                {rowErrors.slice(0, 50).map((error, index) => (
                  <List.Item key={index}>
                    {error.row > 0 ? `Row ${error.row}: ${error.message}` : error.message}
                  </List.Item>
                ))}
              </List>
              {rowErrors.length > 50 ? <p>{`and ${rowErrors.length - 50} more rows`}</p> : null}
            </Banner>
          ) : null}
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

export default function TranslationSettingsPage() {
  const { saved, available } = useLoaderData<typeof loader>();
  const saver = useFetcher<ActionResult>({ key: SAVE_FETCHER });
  const shopify = useAppBridge();
  const handled = useRef<ActionResult | null>(null);
  useEffect(() => {
    if (saver.state !== "idle" || !saver.data || handled.current === saver.data) return;
    handled.current = saver.data;
    if (saver.data.ok) shopify.toast.show("Translation settings saved");
  }, [saver.state, saver.data, shopify]);
  const key = JSON.stringify(saved);
  return (
    <Page>
      <TitleBar title="Translations" />
      <BlockStack gap="400">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            Translation settings
          </Text>
          <RemixLink to="/app/translations" className="Polaris-Link">
            All translations
          </RemixLink>
        </InlineStack>
        <SettingsForm key={key} saved={saved} available={available} />
        <Layout>
          <GlossaryFile />
        </Layout>
      </BlockStack>
    </Page>
  );
}
