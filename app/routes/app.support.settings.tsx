import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Card, ChoiceList, FormLayout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { FormSaveBar } from "~/components/FormSaveBar";
import { SUPPORT_TITLE, SupportTabs } from "~/components/support/SupportTabs";
import { prisma } from "~/db.server";
import { loadSupportSettings } from "~/services/support/support-settings.server";
import { SupportSettingsInput, updateSupportSettings } from "~/services/support/update-support-settings.server";
import { authenticate } from "~/shopify.server";

interface FormValues {
  timezone: string;
  openHour: string;
  closeHour: string;
  openDays: string[];
  messagesPerMinute: string;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await loadSupportSettings({ db: prisma, shop: session.shop });
  const values: FormValues = {
    timezone: settings.hours.timezone,
    openHour: String(settings.hours.openHour),
    closeHour: String(settings.hours.closeHour),
    openDays: settings.hours.openDays.map(String),
    messagesPerMinute: String(settings.messagesPerMinute),
  };
  return { values };
};

type ActionResult = { ok: true } | { ok: false; errors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = SupportSettingsInput.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
    return Response.json({ ok: false, errors } satisfies ActionResult, { status: 400 });
  }
  await updateSupportSettings({ db: prisma, shop: session.shop, values: parsed.data });
  return { ok: true } satisfies ActionResult;
};

const HOURS = Array.from({ length: 25 }, (_, hour) => ({ label: `${hour}:00`, value: String(hour) }));
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].map((label, index) => ({
  label,
  value: String(index + 1),
}));

function SettingsForm({ saved }: { saved: FormValues }) {
  const [values, setValues] = useState(saved);
  const submit = useSubmit();
  const navigation = useNavigation();
  const result = useActionData<ActionResult>();
  const errors = result && !result.ok ? result.errors : {};
  const saving = navigation.state === "submitting";
  const dirty = JSON.stringify(values) !== JSON.stringify(saved);
  const save = () => submit({ ...values, openDays: values.openDays.join(",") }, { method: "post" });
  return (
    <Form method="post" onSubmit={(event) => (event.preventDefault(), save())}>
      <FormSaveBar
        id="support-settings-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={save}
        onDiscard={() => setValues(saved)}
      />
      <BlockStack gap="400">
        <Card>
          <FormLayout>
            <Text as="h2" variant="headingSm">
              When your team answers
            </Text>
            <Text as="p" tone="subdued">
              Outside these hours, a shopper who asks for a person is told when you will reply.
            </Text>
            <TextField
              label="Time zone"
              value={values.timezone}
              onChange={(timezone) => setValues({ ...values, timezone })}
              error={errors.timezone}
              autoComplete="off"
            />
            <FormLayout.Group>
              <Select
                label="Opens at"
                options={HOURS}
                value={values.openHour}
                onChange={(openHour) => setValues({ ...values, openHour })}
                error={errors.openHour}
              />
              <Select
                label="Closes at"
                options={HOURS}
                value={values.closeHour}
                onChange={(closeHour) => setValues({ ...values, closeHour })}
                error={errors.closeHour}
              />
            </FormLayout.Group>
            <ChoiceList
              title="Days"
              allowMultiple
              choices={DAYS}
              selected={values.openDays}
              onChange={(openDays) => setValues({ ...values, openDays })}
              error={errors.openDays}
            />
          </FormLayout>
        </Card>
        <Card>
          <FormLayout>
            <TextField
              label="Chat messages per minute, for the whole store"
              helpText="Protects your AI budget from a burst of messages. Each shopper is also limited on their own."
              type="number"
              value={values.messagesPerMinute}
              onChange={(messagesPerMinute) => setValues({ ...values, messagesPerMinute })}
              error={errors.messagesPerMinute}
              autoComplete="off"
            />
          </FormLayout>
        </Card>
      </BlockStack>
    </Form>
  );
}

export default function SupportSettings() {
  const { values } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const shopify = useAppBridge();
  useEffect(() => {
    if (result?.ok) shopify.toast.show("Chat settings saved");
  }, [result, shopify]);
  return (
    <Page>
      <TitleBar title={SUPPORT_TITLE} />
      {/* Keyed by the saved values: after a save the form shows what was stored and the bar starts clean. */}
      <BlockStack gap="400">
        <SupportTabs selected="settings" />
        <SettingsForm key={JSON.stringify(values)} saved={values} />
      </BlockStack>
    </Page>
  );
}
