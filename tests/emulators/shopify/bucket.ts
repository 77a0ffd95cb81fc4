// Shopify's GraphQL leaky bucket: a query may start only when the bucket holds at least its
// requested cost; the requested cost is taken up front and (requested − actual) is refunded
// after execution. Points come back continuously at `restoreRate` per second.

export type ShopPlan = "standard" | "advanced" | "plus" | "enterprise";

/**
 * Shopify's documented per-plan limits for the GraphQL Admin API ("API rate limits",
 * https://shopify.dev/docs/api/usage/limits#rate-limits): a bucket (`maximumAvailable`) of 2,000
 * points restored at 100/s on Standard (and Basic, Shopify, development stores), 4,000 at 200/s on
 * Advanced, 20,000 at 1,000/s on Plus and 40,000 at 2,000/s on Enterprise (Commerce Components):
 * 20 s of restore on every plan.
 */
export const PLAN_LIMITS: Record<ShopPlan, { restoreRate: number; bucketSize: number; displayName: string }> = {
  standard: { restoreRate: 100, bucketSize: 2000, displayName: "Basic" },
  advanced: { restoreRate: 200, bucketSize: 4000, displayName: "Advanced" },
  plus: { restoreRate: 1000, bucketSize: 20000, displayName: "Shopify Plus" },
  enterprise: { restoreRate: 2000, bucketSize: 40000, displayName: "Enterprise" },
};

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * A throttle storm: for a while the shop's bucket stays empty, so every query is THROTTLED inside an
 * HTTP 200 (what "Shopify API limits", https://shopify.dev/docs/api/usage/limits, documents for the
 * GraphQL Admin API's calculated query cost), and a share of requests is refused outright with
 * HTTP 429 Too Many Requests and `Retry-After` (documented for the REST Admin API,
 * https://shopify.dev/docs/api/admin-rest/usage/rate-limits; a 429 from GraphQL is reported by
 * developers, community.shopify.com/t/8456, but not documented, so the storm sends both and the
 * app must survive either). The same pages say Shopify "may temporarily reduce API rate limits to
 * protect platform stability", which is what a storm models. Nothing refills until it ends.
 */
export interface ThrottleStorm {
  until: number;
  /** Share of requests (0..1) answered 429 instead of THROTTLED-in-200. */
  http429Share: number;
  retryAfterSeconds: number;
}

export class LeakyBucket {
  private available: number;
  private updatedAt: number;
  private storm: ThrottleStorm | null = null;
  private stormRequests = 0;

  constructor(
    public maximumAvailable: number,
    public restoreRate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.available = maximumAvailable;
    this.updatedAt = this.now();
  }

  private refill(): void {
    const t = this.now();
    if (this.storm && t < this.storm.until) {
      this.available = 0;
      this.updatedAt = t;
      return;
    }
    this.storm = null;
    const gained = ((t - this.updatedAt) / 1000) * this.restoreRate;
    this.available = Math.min(this.maximumAvailable, this.available + gained);
    this.updatedAt = t;
  }

  /** Points a client may spend right now; Shopify reports this floored to an integer. */
  currentlyAvailable(): number {
    this.refill();
    return Math.floor(this.available);
  }

  /** Take `cost` if the bucket holds it; otherwise leave the bucket untouched and return false. */
  tryTake(cost: number): boolean {
    this.refill();
    if (cost > Math.floor(this.available)) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + points);
  }

  /** Test/sandbox helper: set the level directly (e.g. drain the bucket). */
  setAvailable(points: number): void {
    this.refill();
    this.available = Math.max(0, Math.min(this.maximumAvailable, points));
  }

  reconfigure(maximumAvailable: number, restoreRate: number): void {
    this.refill();
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRate;
    this.available = Math.min(this.available, maximumAvailable);
  }

  /** Drains the bucket and keeps it empty for `seconds`, answering 429 to a share of requests. */
  startStorm(seconds: number, options: { http429Share?: number; retryAfterSeconds?: number } = {}): ThrottleStorm {
    this.refill();
    this.storm = {
      until: this.now() + seconds * 1000,
      http429Share: Math.max(0, Math.min(1, options.http429Share ?? 0.5)),
      retryAfterSeconds: options.retryAfterSeconds ?? 2,
    };
    this.stormRequests = 0;
    this.available = 0;
    return { ...this.storm };
  }

  endStorm(): void {
    this.storm = null;
    this.updatedAt = this.now();
  }

  /** During a storm: whether this request gets an HTTP 429 (deterministic share), and its Retry-After. */
  stormRefusal(): { retryAfterSeconds: number } | null {
    this.refill();
    if (!this.storm) return null;
    this.stormRequests++;
    const share = this.storm.http429Share;
    const refused = Math.floor(this.stormRequests * share) > Math.floor((this.stormRequests - 1) * share);
    return refused ? { retryAfterSeconds: this.storm.retryAfterSeconds } : null;
  }

  stormStatus(): { active: boolean; remainingMs: number } {
    this.refill();
    return { active: Boolean(this.storm), remainingMs: this.storm ? Math.max(0, this.storm.until - this.now()) : 0 };
  }

  status(): ThrottleStatus {
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: this.currentlyAvailable(),
      restoreRate: this.restoreRate,
    };
  }
}
