import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";

import { FormSaveBar } from "~/components/FormSaveBar";
import { storeForRequest } from "~/composition.server";
import { prisma } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { updateContentSettings } from "~/services/content/update-content-settings.server";
import { voiceWarning } from "~/services/content/voice-warnings";
import type { ShopLocales } from "~/services/ports/shop-facts";
import { authenticate } from "~/shopify.server";

/** The shop's languages, or null when Shopify cannot be reached (the page still works). */
async function shopLocales(shop: string): Promise<ShopLocales | null> {
  return storeForRequest(shop)
    .locales()
    .catch((error: unknown) => {
      logger.warn({ err: error, shop }, "settings: shop languages unavailable");
      return null;
    });
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [settings, locales] = await Promise.all([loadContentSettings(prisma, session.shop), shopLocales(session.shop)]);
  return {
    locales,
    values: {
      contentMode: settings.contentMode,
      overwriteDescriptions: settings.overwriteDescriptions,
      regenerateOnEdit: settings.regenerateOnEdit,
      brandTone: settings.brandTone,
      writingStyle: settings.writingStyle,
      targetAudience: settings.targetAudience,
      outputLanguage: settings.outputLanguage,
      copyLength: settings.copyLength,
      keywordsInclude: settings.keywordsInclude.join(", "),
      keywordsAvoid: settings.keywordsAvoid.join(", "),
      monthlyTokenCap: settings.monthlyTokenCap?.toString() ?? "",
    },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [form, locales] = await Promise.all([request.formData(), shopLocales(session.shop)]);
  const result = await updateContentSettings({
    db: prisma,
    shop: session.shop,
    form: Object.fromEntries(form),
    publishedLocales: locales?.published ?? null,
  });
  return result.ok ? { ok: true as const, errors: {} } : { ok: false as const, errors: result.errors };
};

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

function languageName(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code; // Not a code Intl knows: show it as it is.
  }
}

/** The language choices: the store's primary language (empty), then each published one. */
function languageOptions(locales: ShopLocales | null, saved: string) {
  const primary = locales ? ` (${languageName(locales.primary)})` : "";
  const options = [{ label: `The store's primary language${primary}`, value: "" }];
  for (const code of locales?.published ?? []) options.push({ label: `${languageName(code)} (${code})`, value: code });
  // A saved language the store no longer publishes (or could not be listed) stays visible, not silently changed.
  if (saved && !options.some((option) => option.value === saved)) {
    const note = locales ? "no longer published" : "saved";
    options.push({ label: `${languageName(saved)} (${saved}, ${note})`, value: saved });
  }
  return options;
}

type SavedValues = ReturnType<typeof useLoaderData<typeof loader>>["values"];

/** A brand-voice field's help: its warning when the text looks like markup or an instruction. */
function voiceHelp(text: string) {
  const warning = voiceWarning(text);
  return warning ? (
    <Text as="span" tone="caution">
      {warning}
    </Text>
  ) : undefined;
}

export default function ContentSettings() {
  const { values: saved, locales } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const shopify = useAppBridge();
  // Here, not in the form: the form is remounted by each save, and would show the toast again.
  useEffect(() => {
    if (result?.ok) shopify.toast.show("Settings saved");
  }, [result, shopify]);
  // A new form for each saved state: after a save, the fields show what was stored (keywords
  // de-duplicated, text trimmed) and the save bar starts clean again.
  return <SettingsForm key={JSON.stringify(saved)} saved={saved} locales={locales} />;
}

function SettingsForm({ saved, locales }: { saved: SavedValues; locales: ShopLocales | null }) {
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [values, setValues] = useState(saved);
  const errors: Partial<Record<string, string>> = result && !result.ok ? result.errors : {};
  const form = useRef<HTMLFormElement>(null);
  const dirty = JSON.stringify(values) !== JSON.stringify(saved);
  const field = (name: keyof typeof values) => ({
    name,
    value: String(values[name]),
    onChange: (value: string) => setValues({ ...values, [name]: value }),
    error: errors[name],
    autoComplete: "off",
  });
  const voiceField = (name: "brandTone" | "writingStyle" | "targetAudience") => ({
    ...field(name),
    helpText: voiceHelp(values[name]),
  });

  return (
    <Page>
      <TitleBar title="Settings" />
      <FormSaveBar
        id="settings-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={() => form.current?.requestSubmit()}
        onDiscard={() => setValues(saved)}
      />
      <Form method="post" ref={form}>
        <Layout>
          {result && !result.ok ? (
            <Layout.Section>
              <Banner tone="critical">Some settings need attention before they can be saved.</Banner>
            </Layout.Section>
          ) : null}
          <Layout.AnnotatedSection title="Publishing" description="What happens when new copy is ready.">
            <Card>
              <BlockStack gap="300">
                <ChoiceList
                  title="Mode"
                  choices={[
                    { label: "Review before publishing", value: "REVIEW" },
                    { label: "Publish automatically", value: "AUTO_PUBLISH" },
                  ]}
                  selected={[values.contentMode]}
                  onChange={([mode]) => setValues({ ...values, contentMode: mode as typeof values.contentMode })}
                  error={errors.contentMode}
                />
                <Checkbox
                  label="Overwrite descriptions that already exist"
                  checked={values.overwriteDescriptions}
                  onChange={(checked) => setValues({ ...values, overwriteDescriptions: checked })}
                />
                <Checkbox
                  label="Write new copy when I change a product's facts"
                  checked={values.regenerateOnEdit}
                  onChange={(checked) => setValues({ ...values, regenerateOnEdit: checked })}
                />
                {/* The form posts these hidden fields; the controls above only edit the state. */}
                {values.overwriteDescriptions ? <input type="hidden" name="overwriteDescriptions" value="on" /> : null}
                {values.regenerateOnEdit ? <input type="hidden" name="regenerateOnEdit" value="on" /> : null}
                <input type="hidden" name="contentMode" value={values.contentMode} />
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Brand voice" description="How the copy should sound, and for whom.">
            <Card>
              <FormLayout>
                <TextField label="Brand tone" {...voiceField("brandTone")} />
                <TextField label="Writing style" {...voiceField("writingStyle")} />
                <TextField label="Target audience" {...voiceField("targetAudience")} />
                <FormLayout.Group>
                  <Select
                    label="Language"
                    name="outputLanguage"
                    options={languageOptions(locales, saved.outputLanguage)}
                    value={values.outputLanguage}
                    onChange={(value) => setValues({ ...values, outputLanguage: value })}
                    error={errors.outputLanguage}
                    helpText={locales ? undefined : "Shopify could not be reached to list the store's languages."}
                  />
                  <Select
                    label="Length"
                    name="copyLength"
                    options={[
                      { label: "Short", value: "SHORT" },
                      { label: "Medium", value: "MEDIUM" },
                      { label: "Long", value: "LONG" },
                    ]}
                    value={values.copyLength}
                    onChange={(value) => setValues({ ...values, copyLength: value as typeof values.copyLength })}
                    error={errors.copyLength}
                  />
                </FormLayout.Group>
                <TextField
                  label="Keywords to use"
                  helpText="Comma-separated; each is kept once, whatever its case"
                  {...field("keywordsInclude")}
                />
                <TextField
                  label="Keywords to avoid"
                  helpText="Comma-separated; each is kept once, whatever its case"
                  {...field("keywordsAvoid")}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Usage"
            description="Stop generating for the rest of the month past this many tokens."
          >
            <Card>
              <TextField
                label="Monthly token cap"
                type="number"
                helpText="Empty: no cap"
                {...field("monthlyTokenCap")}
              />
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <Text as="p" tone="subdued">
              Copy is written by the AI in this voice and, in review mode, waits for your approval.
            </Text>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
