import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { RequestLimiter, type ReleaseSlot } from "~/integrations/llm/rate-limiter";

/** Resolves `true` if the promise settled within the current macrotask turn. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe("RequestLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("caps in-flight requests and grants waiters in FIFO order", async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 2, requestsPerMinute: 60_000, burst: 100 });
    const order: number[] = [];
    const releases: ReleaseSlot[] = [];
    const waiters = [1, 2, 3, 4].map((id) =>
      limiter.acquire().then((release) => {
        order.push(id);
        releases.push(release);
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([1, 2]);
    expect(limiter.stats).toEqual({ inFlight: 2, queued: 2 });

    releases[0]!();
    releases[0]!(); // releasing twice frees one slot only
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.stats).toEqual({ inFlight: 2, queued: 1 });

    releases[1]!();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it("paces starts to requestsPerMinute after the burst is spent", async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 10, requestsPerMinute: 60, burst: 2 });
    expect(await settled(limiter.acquire())).toBe(true);
    expect(await settled(limiter.acquire())).toBe(true);
    const third = limiter.acquire();
    expect(await settled(third)).toBe(false);
    await vi.advanceTimersByTimeAsync(998);
    expect(await settled(third)).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(await settled(third)).toBe(true);
  });

  it("defaults the burst to one second's worth of requests", async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 100, requestsPerMinute: 300 });
    const starts = Array.from({ length: 6 }, () => limiter.acquire());
    const done = await Promise.all(starts.map((start) => settled(start)));
    expect(done).toEqual([true, true, true, true, true, false]);
  });

  it("drops a waiter whose signal aborts and moves on to the next", async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 60_000, burst: 100 });
    const first = await limiter.acquire();
    const controller = new AbortController();
    const cancelled = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error("gone"));
    await expect(cancelled).rejects.toThrow("gone");
    expect(limiter.stats).toEqual({ inFlight: 1, queued: 1 });
    first();
    expect(await settled(next)).toBe(true);
  });
});
