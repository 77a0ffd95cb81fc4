// Shopify's GraphQL leaky bucket: a query may start only when the bucket holds at least its
// requested cost; the requested cost is taken up front and (requested − actual) is refunded
// after execution. Points come back continuously at `restoreRate` per second.

export type ShopPlan = "standard" | "advanced" | "plus" | "enterprise";

/** Shopify's documented per-plan limits (restore rate points/s, bucket = 10 s of restore). */
export const PLAN_LIMITS: Record<ShopPlan, { restoreRate: number; bucketSize: number; displayName: string }> = {
  standard: { restoreRate: 100, bucketSize: 1000, displayName: "Basic" },
  advanced: { restoreRate: 200, bucketSize: 2000, displayName: "Advanced" },
  plus: { restoreRate: 1000, bucketSize: 10000, displayName: "Shopify Plus" },
  enterprise: { restoreRate: 2000, bucketSize: 20000, displayName: "Enterprise" },
};

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  private available: number;
  private updatedAt: number;

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

  status(): ThrottleStatus {
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: this.currentlyAvailable(),
      restoreRate: this.restoreRate,
    };
  }
}
