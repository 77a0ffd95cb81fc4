// Webhook delivery signed exactly like Shopify: body is the raw JSON, X-Shopify-Hmac-Sha256 is
// base64(HMAC-SHA256(app secret, raw body)). Delivery is asynchronous (after the triggering
// response), retried with exponential backoff on non-2xx/timeout, and keeps the same
// X-Shopify-Webhook-Id across retries and manual redeliveries so consumers can dedupe.
import { createHmac, randomUUID } from "node:crypto";
import type { WebhookSubscription } from "./app-config";
import type { EmulatorState, WebhookEvent } from "./state";

export interface DeliveryAttempt {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  attempt: number;
  /** HTTP status, or null when the request failed (timeout, refused). */
  status: number | null;
  error?: string;
  redelivery: boolean;
  at: string;
  durationMs: number;
}

export interface Delivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  body: string;
  apiVersion: string;
  triggeredAt: string;
  attempts: number;
  state: "queued" | "in_flight" | "retry_wait" | "delivered" | "failed";
  redelivery: boolean;
}

export interface DispatcherOptions {
  state: EmulatorState;
  secret: string;
  appUrl?: string;
  apiVersion: string;
  retry: { attempts: number; baseDelayMs: number };
  timeoutMs: number;
  concurrency: number;
  warn(message: string, details?: Record<string, unknown>): void;
}

const MAX_LOG = 20_000;
const MAX_DELIVERIES = 20_000;

export function signWebhook(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/** Shopify's include_fields: keep only the listed (dotted) paths of the payload. */
function pick(payload: unknown, paths: string[]): unknown {
  if (!payload || typeof payload !== "object") return payload;
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const [head, ...rest] = path.split(".");
    if (!head || !(head in (payload as Record<string, unknown>))) continue;
    const value = (payload as Record<string, unknown>)[head];
    if (!rest.length) out[head] = value;
    else if (Array.isArray(value)) out[head] = value.map((v) => pick(v, [rest.join(".")]));
    else out[head] = pick(value, [rest.join(".")]);
  }
  return out;
}

export class WebhookDispatcher {
  private subscriptions: WebhookSubscription[] = [];
  private readonly queue: Delivery[] = [];
  private readonly deliveries = new Map<string, Delivery>();
  private readonly attempts: DeliveryAttempt[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private active = 0;
  /** Deliveries sleeping until their next retry. */
  private waiting = 0;
  /** Bumped by clear(): attempts started before a reset are forgotten when they finish. */
  private generation = 0;
  private paused = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: DispatcherOptions) {}

  setSubscriptions(subs: WebhookSubscription[]): void {
    this.subscriptions = subs;
  }

  getSubscriptions(): WebhookSubscription[] {
    return this.subscriptions;
  }

  /** Subscriptions created through the Admin API (webhookSubscriptionCreate) for one shop. */
  addSubscription(sub: WebhookSubscription): void {
    this.subscriptions = [...this.subscriptions, sub];
  }

  removeSubscription(id: number): void {
    this.subscriptions = this.subscriptions.filter((s) => s.id !== id);
  }

  isPaused(): boolean {
    return this.paused;
  }

  private resolveUrl(uri: string): string | null {
    if (/^https?:\/\//.test(uri)) return uri;
    if (!uri.startsWith("/") || !this.opts.appUrl) return null;
    return new URL(uri, this.opts.appUrl).toString();
  }

  /** Queues one delivery per subscription to the event's topic. */
  enqueue(event: WebhookEvent): Delivery[] {
    const eventId = randomUUID();
    const triggeredAt = new Date().toISOString();
    const created: Delivery[] = [];
    for (const sub of this.subscriptions) {
      if (!sub.topics.includes(event.topic) || (sub.shop && sub.shop !== event.shop)) continue;
      const url = this.resolveUrl(sub.uri);
      if (!url) {
        this.opts.warn("webhook subscription has no deliverable URL", { topic: event.topic, uri: sub.uri });
        continue;
      }
      const payload = sub.includeFields?.length ? pick(event.payload, sub.includeFields) : event.payload;
      const delivery: Delivery = {
        webhookId: randomUUID(),
        eventId,
        topic: event.topic,
        shop: event.shop,
        url,
        body: JSON.stringify(payload),
        apiVersion: this.opts.apiVersion,
        triggeredAt,
        attempts: 0,
        state: "queued",
        redelivery: false,
      };
      this.remember(delivery);
      created.push(delivery);
      this.queue.push(delivery);
    }
    if (created.length) setImmediate(() => this.pump());
    return created;
  }

  private remember(d: Delivery): void {
    if (this.deliveries.size >= MAX_DELIVERIES) {
      for (const [id, old] of this.deliveries) {
        if (old.state === "delivered" || old.state === "failed") {
          this.deliveries.delete(id);
          break;
        }
      }
    }
    this.deliveries.set(d.webhookId, d);
  }

  /** Sends a past delivery again with the SAME webhook id and body (tests consumer dedupe). */
  redeliver(webhookId: string): Delivery | null {
    const d = this.deliveries.get(webhookId);
    if (!d) return null;
    if (d.state === "queued" || d.state === "in_flight" || d.state === "retry_wait") return d;
    d.state = "queued";
    d.redelivery = true;
    this.queue.push(d);
    setImmediate(() => this.pump());
    return d;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    setImmediate(() => this.pump());
  }

  private pump(): void {
    while (!this.paused && !this.closed && this.active < this.opts.concurrency && this.queue.length) {
      const d = this.queue.shift() as Delivery;
      void this.attempt(d);
    }
    this.checkIdle();
  }

  private async attempt(d: Delivery): Promise<void> {
    const generation = this.generation;
    this.active++;
    d.state = "in_flight";
    d.attempts++;
    const started = performance.now();
    let status: number | null = null;
    let error: string | undefined;
    try {
      const res = await fetch(d.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Shopify-Captain-Hook",
          "X-Shopify-Topic": d.topic,
          "X-Shopify-Hmac-Sha256": signWebhook(d.body, this.opts.secret),
          "X-Shopify-Shop-Domain": d.shop,
          "X-Shopify-API-Version": d.apiVersion,
          "X-Shopify-Webhook-Id": d.webhookId,
          "X-Shopify-Event-Id": d.eventId,
          "X-Shopify-Triggered-At": d.triggeredAt,
        },
        body: d.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error = e.name === "TimeoutError" ? "timeout" : (e.cause?.code ?? e.message);
    }
    if (generation !== this.generation) return;
    this.active--;
    const ok = status !== null && status >= 200 && status < 300;
    this.log({
      webhookId: d.webhookId,
      eventId: d.eventId,
      topic: d.topic,
      shop: d.shop,
      url: d.url,
      attempt: d.attempts,
      status,
      error,
      redelivery: d.redelivery,
      at: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
    });
    this.opts.state.bumpWebhook(d.shop, "attempts");
    if (ok) {
      d.state = "delivered";
      this.opts.state.bumpWebhook(d.shop, "delivered");
    } else if (d.attempts < this.opts.retry.attempts && !this.closed) {
      d.state = "retry_wait";
      this.waiting++;
      const delay = this.opts.retry.baseDelayMs * 2 ** (d.attempts - 1);
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.waiting--;
        d.state = "queued";
        this.queue.push(d);
        this.pump();
      }, delay);
      t.unref?.();
      this.timers.add(t);
    } else {
      d.state = "failed";
      this.opts.state.bumpWebhook(d.shop, "failed");
    }
    this.pump();
  }

  private log(entry: DeliveryAttempt): void {
    if (this.attempts.length >= MAX_LOG) this.attempts.splice(0, MAX_LOG / 10);
    this.attempts.push(entry);
  }

  /** Attempts, oldest first, optionally filtered. */
  listAttempts(filter: { shop?: string; topic?: string; webhookId?: string } = {}): DeliveryAttempt[] {
    return this.attempts.filter(
      (a) =>
        (!filter.shop || a.shop === filter.shop) &&
        (!filter.topic || a.topic === filter.topic) &&
        (!filter.webhookId || a.webhookId === filter.webhookId),
    );
  }

  /** Deliveries (newest last) with their payloads; `limit` keeps only the newest ones. */
  listDeliveries(
    filter: { shop?: string; topic?: string; webhookId?: string } = {},
    limit = 0,
  ): Array<Omit<Delivery, "body"> & { payload: unknown }> {
    let matching: Delivery[] = [];
    for (const d of this.deliveries.values()) {
      if (filter.shop && d.shop !== filter.shop) continue;
      if (filter.topic && d.topic !== filter.topic) continue;
      if (filter.webhookId && d.webhookId !== filter.webhookId) continue;
      matching.push(d);
    }
    if (limit > 0) matching = matching.slice(-limit);
    return matching.map(({ body, ...rest }) => ({ ...rest, payload: JSON.parse(body) as unknown }));
  }

  pending(): number {
    return this.queue.length + this.active + this.waiting;
  }

  /** Resolves once nothing is queued, in flight or waiting to retry. */
  idle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private checkIdle(): void {
    if (this.idleWaiters.length && this.pending() === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.generation++;
    this.active = 0;
    this.waiting = 0;
    this.queue.length = 0;
    this.deliveries.clear();
    this.attempts.length = 0;
    this.paused = false;
    this.checkIdle();
  }

  close(): void {
    this.closed = true;
    this.clear();
    for (const w of this.idleWaiters) w();
    this.idleWaiters = [];
  }
}
