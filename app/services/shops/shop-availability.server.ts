import { isAppError, shopUnavailableError, type ShopUnavailableState } from "~/lib/errors";
import type { Db } from "~/services/types";

/**
 * Whether Shopify serves a shop's Admin API. A frozen (402) or locked (423) shop refuses every call
 * until its owner pays or Shopify unlocks it, which takes days, not seconds: the app records the
 * state, stops spending on the shop (its jobs fail at once with the reason, no LLM call), shows
 * it on the home page, and clears it the first time Shopify answers again (docs/decisions/014).
 */
export interface ShopAvailability {
  state: ShopUnavailableState;
  since: Date;
  checkedAt: Date;
}

/** How long a recorded state is trusted before a job lets one Admin call through to check it. */
export const RECHECK_AFTER_MS = 5 * 60_000;

export async function shopAvailability({ db, shop }: { db: Db; shop: string }): Promise<ShopAvailability | null> {
  const row = await db.shop.findUnique({
    where: { domain: shop },
    select: { unavailableState: true, unavailableSince: true, unavailableCheckedAt: true },
  });
  if (!row?.unavailableState) return null;
  const since = row.unavailableSince ?? new Date();
  return {
    state: row.unavailableState as ShopUnavailableState,
    since,
    checkedAt: row.unavailableCheckedAt ?? since,
  };
}

/** Shopify refused the shop: remember it (keeping when it started) so jobs stop and admin says so. */
export async function recordShopUnavailable({
  db,
  shop,
  state,
}: {
  db: Db;
  shop: string;
  state: ShopUnavailableState;
}) {
  const now = new Date();
  const changed = await db.shop.updateMany({
    where: { domain: shop, OR: [{ unavailableState: null }, { unavailableState: { not: state } }] },
    data: { unavailableState: state, unavailableSince: now, unavailableCheckedAt: now },
  });
  if (changed.count === 0) {
    await db.shop.updateMany({ where: { domain: shop }, data: { unavailableCheckedAt: now } });
  }
}

/** Shopify served the shop again: clear a recorded state (a no-op, one indexed update, when none). */
export async function recordShopAvailable({ db, shop }: { db: Db; shop: string }) {
  await db.shop.updateMany({
    where: { domain: shop, unavailableState: { not: null } },
    data: { unavailableState: null, unavailableSince: null, unavailableCheckedAt: null },
  });
}

/**
 * What one live Admin answer says about the shop, recorded: a SHOP_UNAVAILABLE refusal records
 * the state (keeping when it started), a successful answer clears a recorded one. Returns the
 * shop's availability after that answer. The job store's guard and the home page both use it.
 */
export async function noteShopAnswer({
  db,
  shop,
  recorded,
  failure,
}: {
  db: Db;
  shop: string;
  recorded: ShopAvailability | null;
  /** The call's error; undefined when Shopify answered. */
  failure?: unknown;
}): Promise<ShopAvailability | null> {
  if (isAppError(failure, "SHOP_UNAVAILABLE")) {
    const state = failure.details.state as ShopUnavailableState;
    await recordShopUnavailable({ db, shop, state });
    const since = recorded?.state === state ? recorded.since : new Date();
    return { state, since, checkedAt: new Date() };
  }
  if (failure === undefined && recorded) {
    await recordShopAvailable({ db, shop });
    return null;
  }
  return recorded;
}

/**
 * The store a job uses, guarded by the shop's recorded state. Before the job's first Admin call it
 * reads the state once: recorded and confirmed within RECHECK_AFTER_MS, every call fails with
 * SHOP_UNAVAILABLE without reaching Shopify (so the job fails before any LLM call, with the reason);
 * recorded longer ago, the call goes through as a probe, and its answer is noted (noteShopAnswer).
 */
export function availabilityGuardedStore<S extends object>({ db, shop, store }: { db: Db; shop: string; store: S }): S {
  let known: Promise<ShopAvailability | null> | undefined;
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    known ??= shopAvailability({ db, shop });
    const recorded = await known;
    if (recorded && Date.now() - recorded.checkedAt.getTime() < RECHECK_AFTER_MS) {
      throw shopUnavailableError(shop, recorded.state);
    }
    try {
      const result = await call();
      if (recorded) known = Promise.resolve(await noteShopAnswer({ db, shop, recorded }));
      return result;
    } catch (error) {
      if (isAppError(error, "SHOP_UNAVAILABLE")) {
        known = Promise.resolve(await noteShopAnswer({ db, shop, recorded, failure: error }));
      }
      throw error;
    }
  };
  // Every method of the port, whatever its shape: the guard does not depend on the port's methods.
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) =>
        guard(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args) as Promise<unknown>);
    },
  });
}
