import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Checkbox, InlineStack, ProgressBar, Text } from "@shopify/polaris";

import type { SetupGuide as Guide, SetupStep } from "~/services/dashboard/setup-guide.server";

const STEPS: Record<SetupStep, { title: string; description: string; action: string; url?: string }> = {
  voice: {
    title: "Describe your brand voice",
    description: "Tone, style and audience decide how every description sounds.",
    action: "Set brand voice",
    url: "/app/settings",
  },
  mode: {
    title: "Choose review or auto-publish",
    description: "Review first while you get to know the copy; switch to automatic when you trust it.",
    action: "Choose mode",
    url: "/app/settings",
  },
  language: {
    title: "Check the copy language",
    description: "Copy is written in your store's primary language unless you pick another published one.",
    action: "Check language",
    url: "/app/settings",
  },
  "first-run": {
    title: "Write copy for products without a description",
    description: "One bulk run covers the catalog; products you already described are left alone.",
    action: "Start a bulk run",
    url: "/app/bulk-runs",
  },
  "chat-embed": {
    title: "Add the chat to your theme",
    description:
      "Turn on the Storewise support chat in your theme's App embeds, then save the theme. Shoppers see the chat button on every page.",
    action: "Open the theme editor",
    // The theme editor's deep link, from the loader (it needs the shop and the app's key).
  },
};

/** The home page's first-run guide, as Shopify's own setup guides look: steps with progress. */
export function SetupGuide({ guide, chatEmbedUrl }: { guide: Guide; chatEmbedUrl: string }) {
  const fetcher = useFetcher();
  // Optimistic: a ticked step shows done before the server answers.
  const pending = fetcher.formData;
  const doneOf = (id: SetupStep, done: boolean) =>
    pending?.get("intent") === "setup-step" && pending.get("step") === id ? pending.get("done") === "true" : done;
  const steps = guide.steps.map((step) => ({ ...step, done: doneOf(step.id, step.done) }));
  const doneCount = steps.filter((step) => step.done).length;
  const next = steps.find((step) => !step.done)?.id;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Set up Storewise
            </Text>
            <Text as="p" tone="subdued">
              {doneCount === steps.length
                ? "You're set up. New products get copy on their own from now on."
                : `${doneCount} of ${steps.length} steps done`}
            </Text>
          </BlockStack>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="hide-guide" />
            <Button submit variant="plain">
              Dismiss guide
            </Button>
          </fetcher.Form>
        </InlineStack>
        <ProgressBar progress={(doneCount / steps.length) * 100} size="small" tone="success" />
        <BlockStack gap="300">
          {steps.map((step) => {
            const copy = STEPS[step.id];
            return (
              <InlineStack key={step.id} gap="300" blockAlign="start" wrap={false}>
                <fetcher.Form method="post">
                  <input type="hidden" name="intent" value="setup-step" />
                  <input type="hidden" name="step" value={step.id} />
                  <input type="hidden" name="done" value={String(!step.done)} />
                  <Checkbox
                    label={`Mark “${copy.title}” as ${step.done ? "not done" : "done"}`}
                    labelHidden
                    checked={step.done}
                    onChange={() =>
                      fetcher.submit(
                        { intent: "setup-step", step: step.id, done: String(!step.done) },
                        { method: "post" },
                      )
                    }
                  />
                </fetcher.Form>
                <BlockStack gap="100">
                  <InlineStack gap="100" blockAlign="center">
                    <Text as="h3" variant="headingSm" tone={step.done ? "subdued" : undefined}>
                      {copy.title}
                    </Text>
                    {step.done ? <Badge tone="success">Done</Badge> : null}
                  </InlineStack>
                  {step.id === next ? (
                    <BlockStack gap="200" inlineAlign="start">
                      <Text as="p" tone="subdued">
                        {copy.description}
                      </Text>
                      {step.id === "chat-embed" ? (
                        // The theme editor is Shopify's admin page, outside the app's frame.
                        <Button url={chatEmbedUrl} target="_top">
                          {copy.action}
                        </Button>
                      ) : (
                        <Button url={copy.url} variant={step.id === "first-run" ? "primary" : undefined}>
                          {copy.action}
                        </Button>
                      )}
                    </BlockStack>
                  ) : null}
                </BlockStack>
              </InlineStack>
            );
          })}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
