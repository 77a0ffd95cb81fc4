// Admin API webhook subscriptions (webhookSubscriptions / webhookSubscriptionCreate|Update|Delete),
// used by apps that register shop-specific webhooks in code instead of in shopify.app.toml.
// Like Shopify, subscriptions declared in the toml are app-level and not listed here.
import type { WebhookSubscription } from "./app-config";
import { paginate, type ConnectionArgs } from "./connection";
import type { ResolverContext } from "./context";
import { DEFAULT_API_VERSION } from "./schema";
import { gid, isoNow, parseGid } from "./state";

type Args = Record<string, unknown>;

interface SubscriptionInput {
  uri?: string | null;
  callbackUrl?: string | null;
  includeFields?: string[] | null;
  filter?: string | null;
}

/** PRODUCTS_UPDATE → products/update, BULK_OPERATIONS_FINISH → bulk_operations/finish. */
export function topicFromEnum(value: string): string {
  const lower = value.toLowerCase();
  for (const prefix of [
    "bulk_operations",
    "app_subscriptions",
    "app_purchases_one_time",
    "inventory_items",
    "inventory_levels",
    "draft_orders",
    "fulfillment_orders",
    "fulfillment_events",
    "order_transactions",
    "selling_plan_groups",
    "subscription_contracts",
    "subscription_billing_attempts",
    "tender_transactions",
    "product_listings",
    "product_feeds",
    "customer_groups",
  ]) {
    if (lower.startsWith(`${prefix}_`)) return `${prefix}/${lower.slice(prefix.length + 1)}`;
  }
  const i = lower.indexOf("_");
  return i === -1 ? lower : `${lower.slice(0, i)}/${lower.slice(i + 1)}`;
}

export function topicToEnum(topic: string): string {
  return topic.replace("/", "_").toUpperCase();
}

function view(sub: WebhookSubscription) {
  const uri = sub.uri;
  return {
    __typename: "WebhookSubscription",
    id: gid("WebhookSubscription", sub.id ?? 0),
    legacyResourceId: String(sub.id ?? 0),
    topic: topicToEnum(sub.topics[0] ?? ""),
    uri,
    callbackUrl: uri,
    endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: uri },
    format: "JSON",
    includeFields: sub.includeFields ?? [],
    filter: sub.filter ?? null,
    metafieldNamespaces: [],
    metafields: [],
    name: null,
    apiVersion: { handle: DEFAULT_API_VERSION, displayName: DEFAULT_API_VERSION, supported: true },
    createdAt: sub.createdAt,
    updatedAt: sub.updatedAt,
  };
}

function shopSubscriptions(ctx: ResolverContext): WebhookSubscription[] {
  return ctx.runtime.webhooks.getSubscriptions().filter((s) => s.shop === ctx.shop.domain);
}

export const webhookSubscriptionQueries = {
  webhookSubscriptions: (args: Args, ctx: ResolverContext) => {
    const topics = (args.topics as string[] | undefined)?.map(topicFromEnum);
    const uri = (args.uri ?? args.callbackUrl) as string | undefined;
    const list = shopSubscriptions(ctx).filter(
      (s) => (!topics || topics.includes(s.topics[0] ?? "")) && (!uri || s.uri === uri),
    );
    return paginate(list, args as ConnectionArgs, (s) => ({ id: s.id ?? 0, value: s.id ?? 0 }), view, {
      bulk: ctx.bulk,
    });
  },
};

export const webhookSubscriptionMutations = {
  webhookSubscriptionCreate: (args: Args, ctx: ResolverContext) => {
    const input = args.webhookSubscription as SubscriptionInput;
    const uri = input.uri ?? input.callbackUrl;
    if (!uri)
      return {
        webhookSubscription: null,
        userErrors: [{ field: ["webhookSubscription", "uri"], message: "Address can't be blank" }],
      };
    const topic = topicFromEnum(args.topic as string);
    if (shopSubscriptions(ctx).some((s) => s.topics[0] === topic && s.uri === uri)) {
      return {
        webhookSubscription: null,
        userErrors: [
          { field: ["webhookSubscription", "callbackUrl"], message: "Address for this topic has already been taken" },
        ],
      };
    }
    const now = isoNow();
    const sub: WebhookSubscription = {
      id: ctx.state.nextId(),
      shop: ctx.shop.domain,
      topics: [topic],
      uri,
      includeFields: input.includeFields ?? undefined,
      filter: input.filter ?? null,
      createdAt: now,
      updatedAt: now,
    };
    ctx.runtime.webhooks.addSubscription(sub);
    return { webhookSubscription: view(sub), userErrors: [] };
  },
  webhookSubscriptionUpdate: (args: Args, ctx: ResolverContext) => {
    const id = parseGid(args.id)?.id;
    const sub = shopSubscriptions(ctx).find((s) => s.id === id);
    if (!sub)
      return {
        webhookSubscription: null,
        userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }],
      };
    const input = args.webhookSubscription as SubscriptionInput;
    sub.uri = input.uri ?? input.callbackUrl ?? sub.uri;
    if (input.includeFields !== undefined) sub.includeFields = input.includeFields ?? undefined;
    if (input.filter !== undefined) sub.filter = input.filter;
    sub.updatedAt = isoNow();
    return { webhookSubscription: view(sub), userErrors: [] };
  },
  webhookSubscriptionDelete: (args: Args, ctx: ResolverContext) => {
    const id = parseGid(args.id)?.id;
    const sub = shopSubscriptions(ctx).find((s) => s.id === id);
    if (!sub)
      return {
        deletedWebhookSubscriptionId: null,
        userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }],
      };
    ctx.runtime.webhooks.removeSubscription(sub.id as number);
    return { deletedWebhookSubscriptionId: gid("WebhookSubscription", sub.id as number), userErrors: [] };
  },
};
