import { Banner, BlockStack, Text } from "@shopify/polaris";

import type { ShopUnavailableState } from "~/lib/errors";

const WORDS: Record<ShopUnavailableState, { title: string; what: string; todo: string }> = {
  frozen: {
    title: "Shopify has frozen this store",
    what: "Shopify froze the store because its Shopify bill is unpaid, and refuses every request from apps until then. Storewise has stopped writing copy for the store and spends nothing on it meanwhile.",
    todo: "To continue, pay the outstanding balance in Shopify admin (Settings › Billing). Storewise picks up again on its own once Shopify unfreezes the store; work that failed meanwhile can be retried below.",
  },
  locked: {
    title: "Shopify has locked this store",
    what: "Shopify locked the store and refuses every request from apps. Shopify does this after repeated rate-limit breaches or when it suspects fraud. Storewise has stopped writing copy for the store and spends nothing on it meanwhile.",
    todo: "Contact Shopify Support to have the store unlocked. Storewise picks up again on its own once Shopify unlocks it; work that failed meanwhile can be retried below.",
  },
};

/** What a merchant sees first while Shopify refuses the store: what happened, and what to do. */
export function ShopStateBanner({ state, since }: { state: ShopUnavailableState; since: string }) {
  const words = WORDS[state];
  return (
    <Banner tone="critical" title={words.title}>
      <BlockStack gap="200">
        <p>{words.what}</p>
        <p>{words.todo}</p>
        <Text as="p" tone="subdued">
          {`Since ${new Date(since).toUTCString()}.`}
        </Text>
      </BlockStack>
    </Banner>
  );
}
