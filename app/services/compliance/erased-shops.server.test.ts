import { describe, expect, it } from "vitest";

import { forgetNotErased, isShopErased, NOT_ERASED_TTL_MS } from "~/services/compliance/erased-shops.server";
import type { Db } from "~/services/types";

/** A database holding the given tombstones, counting how often it is asked. */
function tombstones(...erased: string[]) {
  const rows = new Set(erased);
  const db = {
    reads: 0,
    rows,
    erasedShop: {
      async findUnique({ where }: { where: { shopDomain: string } }) {
        db.reads++;
        return rows.has(where.shopDomain) ? { shopDomain: where.shopDomain } : null;
      },
    },
  };
  return db;
}

const asDb = (db: ReturnType<typeof tombstones>) => db as unknown as Db;
let next = 0;
const uniqueShop = () => `memo-${next++}.myshopify.com`;

describe("the erased-shop check", () => {
  it("trusts 'not erased' for NOT_ERASED_TTL_MS, then reads the tombstone again", async () => {
    const db = tombstones();
    const shop = uniqueShop();
    expect(await isShopErased({ db: asDb(db), shop, now: 0 })).toBe(false);
    expect(await isShopErased({ db: asDb(db), shop, now: NOT_ERASED_TTL_MS - 1 })).toBe(false);
    expect(db.reads).toBe(1);

    // Another process erases the shop: this one sees it once the memo has expired, never later.
    db.rows.add(shop);
    expect(await isShopErased({ db: asDb(db), shop, now: NOT_ERASED_TTL_MS })).toBe(true);
    expect(db.reads).toBe(2);
  });

  it("reads an erased shop every time, so a reinstall lifts the tombstone at once", async () => {
    const shop = uniqueShop();
    const db = tombstones(shop);
    expect(await isShopErased({ db: asDb(db), shop, now: 0 })).toBe(true);
    expect(await isShopErased({ db: asDb(db), shop, now: 1 })).toBe(true);
    expect(db.reads).toBe(2);

    db.rows.delete(shop);
    expect(await isShopErased({ db: asDb(db), shop, now: 2 })).toBe(false);
  });

  it("sees a tombstone this process wrote at once", async () => {
    const db = tombstones();
    const shop = uniqueShop();
    expect(await isShopErased({ db: asDb(db), shop, now: 0 })).toBe(false);
    db.rows.add(shop);
    forgetNotErased(shop);
    expect(await isShopErased({ db: asDb(db), shop, now: 1 })).toBe(true);
  });

  it("keeps each shop's answer apart", async () => {
    const erased = uniqueShop();
    const live = uniqueShop();
    const db = tombstones(erased);
    expect(await isShopErased({ db: asDb(db), shop: live, now: 0 })).toBe(false);
    expect(await isShopErased({ db: asDb(db), shop: erased, now: 0 })).toBe(true);
  });
});
