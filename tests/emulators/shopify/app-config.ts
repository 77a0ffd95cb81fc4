// Reads the parts of shopify.app.toml the emulator honours: webhook subscriptions (incl.
// compliance topics), their API version, and the app's access scopes.
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";

export interface WebhookSubscription {
  topics: string[];
  /** Set for subscriptions a shop created through webhookSubscriptionCreate (shop-scoped). */
  shop?: string;
  id?: number;
  filter?: string | null;
  createdAt?: string;
  updatedAt?: string;
  /** Absolute URL or a path resolved against the app URL. */
  uri: string;
  /** Shopify's include_fields: only these (dotted) payload paths are sent. */
  includeFields?: string[];
}

export interface AppConfig {
  clientId?: string;
  applicationUrl?: string;
  scopes?: string[];
  apiVersion?: string;
  subscriptions: WebhookSubscription[];
  /** [app_proxy]: the storefront's /<prefix>/<subpath>/* goes to <application_url><url>/*. */
  appProxy?: { url: string; prefix: string; subpath: string };
}

interface RawToml {
  client_id?: string;
  application_url?: string;
  access_scopes?: { scopes?: string };
  app_proxy?: { url?: string; prefix?: string; subpath?: string };
  webhooks?: {
    api_version?: string;
    subscriptions?: Array<{ topics?: string[]; compliance_topics?: string[]; uri?: string; include_fields?: string[] }>;
  };
}

export function parseAppToml(text: string): AppConfig {
  const raw = parse(text) as RawToml;
  const subscriptions: WebhookSubscription[] = [];
  for (const sub of raw.webhooks?.subscriptions ?? []) {
    if (!sub.uri) continue;
    const topics = [...(sub.topics ?? []), ...(sub.compliance_topics ?? [])];
    if (topics.length) subscriptions.push({ topics, uri: sub.uri, includeFields: sub.include_fields });
  }
  return {
    clientId: raw.client_id,
    applicationUrl: raw.application_url,
    scopes: raw.access_scopes?.scopes
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    apiVersion: raw.webhooks?.api_version,
    subscriptions,
    appProxy:
      raw.app_proxy?.url && raw.app_proxy.prefix && raw.app_proxy.subpath
        ? { url: raw.app_proxy.url, prefix: raw.app_proxy.prefix, subpath: raw.app_proxy.subpath }
        : undefined,
  };
}

export function readAppToml(path: string): AppConfig {
  return parseAppToml(readFileSync(path, "utf8"));
}
