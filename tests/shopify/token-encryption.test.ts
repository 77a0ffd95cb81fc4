// GIVEN offline tokens in Postgres WHEN someone reads a database dump THEN they find ciphertext,
// not tokens that open the Admin API; rows from before encryption and from older keys keep working.
import { randomBytes, randomUUID } from "node:crypto";

import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, describe, expect, inject, it } from "vitest";

import { parseEnv } from "~/config/env.server";
import { prisma } from "~/db.server";
import { EncryptedSessionStorage, reencryptSessionTokens } from "~/integrations/shopify/session-encryption.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { parseKeyEncryptionKeys, TokenCipher } from "~/lib/token-cipher.server";
import { sessionStorage } from "~/shopify.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { adminRequest } from "../support/admin-request";
import { allowErrorLogs } from "../support/error-logs";
import { seedShop } from "../support/seed";
import { TEST_TOKEN_ENCRYPTION_KEYS } from "../support/test-env";

const control = emulatorControl(inject("shopifyUrl"));
const appUrl = inject("appUrl");

afterAll(async () => {
  await closeSharedRedis();
  await prisma.$disconnect();
});

const newKey = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;
const cipherOf = (spec: string) => new TokenCipher(parseKeyEncryptionKeys(spec));
const storageWith = (cipher: TokenCipher) =>
  new EncryptedSessionStorage(new PrismaSessionStorage(prisma), { cipher, db: prisma });
const rawRow = (id: string) =>
  prisma.session.findUniqueOrThrow({ where: { id }, select: { accessToken: true, refreshToken: true } });

function offlineSession(shop: string) {
  return new Session({
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    accessToken: `shpat_${randomUUID()}`,
    refreshToken: `shprt_${randomUUID()}`,
    expires: new Date(Date.now() + 3600_000),
    refreshTokenExpires: new Date(Date.now() + 90 * 24 * 3600_000),
  });
}

describe("offline tokens at rest", () => {
  it("a token the app obtains is stored as ciphertext, and the app still uses it", async () => {
    const shop = `sealed-${randomUUID().slice(0, 8)}.myshopify.com`;
    await control.createShop({ shop });

    // The merchant opens the app: token exchange stores a new offline session.
    expect((await adminRequest(appUrl, shop, "/app/review")).status).toBe(200);

    const issued = (await control.getShop(shop)).tokens.filter((token) => token.kind === "offline");
    expect(issued.length).toBeGreaterThan(0);
    const row = await rawRow(`offline_${shop}`);
    expect(row.accessToken).toMatch(/^enc:v1:test:/);
    expect(row.refreshToken).toMatch(/^enc:v1:test:/);
    for (const { token } of issued) expect(row.accessToken).not.toContain(token);
    expect(row.refreshToken).not.toContain("shprt_");

    const [session] = await sessionStorage.findSessionsByShop(shop);
    expect(issued.map((token) => token.token)).toContain(session?.accessToken);
    const answer = await control.graphql(session!.accessToken!, "query { shop { myshopifyDomain } }");
    expect(answer.body.data).toEqual({ shop: { myshopifyDomain: shop } });
  });

  it("a plaintext row from before encryption still loads, and is encrypted on that read", async () => {
    const shop = `legacy-${randomUUID().slice(0, 8)}.myshopify.com`;
    const accessToken = `shpat_${randomUUID()}`;
    const refreshToken = `shprt_${randomUUID()}`;
    // seedShop writes the row straight into Postgres, as the app did before this change.
    await seedShop(control, prisma, { shop, accessToken, expiresInSec: 3600, refreshToken });
    expect((await rawRow(`offline_${shop}`)).accessToken).toBe(accessToken);

    const loaded = await sessionStorage.loadFreshSession(`offline_${shop}`);
    expect(loaded?.accessToken).toBe(accessToken);
    expect(loaded?.refreshToken).toBe(refreshToken);

    const row = await rawRow(`offline_${shop}`);
    expect(row.accessToken).toMatch(/^enc:v1:test:/);
    expect(row.accessToken).not.toContain(accessToken);
    expect(row.refreshToken).not.toContain(refreshToken);
    expect((await sessionStorage.findSessionsByShop(shop))[0]?.accessToken).toBe(accessToken);
  });

  it("rotation: old rows stay readable, are moved to the new key, and then the old key can go", async () => {
    const oldKey = newKey("k2026a");
    const rotatedKey = newKey("k2026b");
    const shops = Array.from({ length: 3 }, () => `rotate-${randomUUID().slice(0, 8)}.myshopify.com`);
    const sessions = shops.map(offlineSession);
    const before = storageWith(cipherOf(oldKey));
    for (const session of sessions) await before.storeSession(session);
    expect((await rawRow(sessions[0]!.id)).accessToken).toMatch(/^enc:v1:k2026a:/);

    // Deploy with the new key first and the old one after it: old rows still open.
    const rotated = cipherOf(`${rotatedKey},${oldKey}`);
    const during = storageWith(rotated);
    expect((await during.loadSession(sessions[0]!.id))?.accessToken).toBe(sessions[0]!.accessToken);
    // That read moved the row to the new key; new writes use it as well.
    expect((await rawRow(sessions[0]!.id)).accessToken).toMatch(/^enc:v1:k2026b:/);

    // The re-encryption command covers every row; the database also holds other tests' rows,
    // sealed under the app's test key, so that key is listed too and put back first afterwards.
    try {
      const report = await reencryptSessionTokens({
        db: prisma,
        cipher: cipherOf(`${rotatedKey},${oldKey},${TEST_TOKEN_ENCRYPTION_KEYS}`),
      });
      expect(report.failed).toEqual([]);
      expect(report.reencrypted).toBeGreaterThanOrEqual(2);
      for (const session of sessions) {
        const row = await rawRow(session.id);
        expect(row.accessToken).toMatch(/^enc:v1:k2026b:/);
        expect(row.refreshToken).toMatch(/^enc:v1:k2026b:/);
      }

      // With only the new key configured, every row still opens.
      const after = storageWith(cipherOf(rotatedKey));
      for (const session of sessions) {
        const loaded = await after.loadSession(session.id);
        expect(loaded?.accessToken).toBe(session.accessToken);
        expect(loaded?.refreshToken).toBe(session.refreshToken);
      }
      // Without the key a row was sealed with, it does not open (and says which key is missing).
      const stranger = offlineSession(`stranger-${randomUUID().slice(0, 8)}.myshopify.com`);
      await before.storeSession(stranger);
      await expect(after.loadSession(stranger.id)).rejects.toThrow(/sealed with key "k2026a"/);
      await prisma.session.deleteMany({ where: { id: { in: [...sessions, stranger].map((s) => s.id) } } });
    } finally {
      await reencryptSessionTokens({
        db: prisma,
        cipher: cipherOf(`${TEST_TOKEN_ENCRYPTION_KEYS},${rotatedKey},${oldKey}`),
      });
    }
  });

  it("a row sealed under a key no longer configured does not break the admin: it exchanges a new token", async () => {
    // A key dropped while rows still use it is the operator's mistake: the app says so at error
    // level (in this process and in the web app), and carries on with a new token.
    allowErrorLogs(/^stored session does not open with TOKEN_ENCRYPTION_KEYS: value is sealed with key "retired"/);
    const shop = `lostkey-${randomUUID().slice(0, 8)}.myshopify.com`;
    await control.createShop({ shop });
    await storageWith(cipherOf(newKey("retired"))).storeSession(offlineSession(shop));

    expect(await sessionStorage.loadSession(`offline_${shop}`)).toBeUndefined();
    // Uninstall and redact still find it (to delete it), without tokens.
    const [found] = await sessionStorage.findSessionsByShop(shop);
    expect(found?.id).toBe(`offline_${shop}`);
    expect(found?.accessToken).toBeUndefined();
    expect((await adminRequest(appUrl, shop, "/app/review")).status).toBe(200);
    expect((await rawRow(`offline_${shop}`)).accessToken).toMatch(/^enc:v1:test:/);
  });

  it("a sealed token copied into another shop's row does not open there", async () => {
    const storage = storageWith(cipherOf(newKey("k1")));
    const [a, b] = [
      offlineSession(`copy-a-${randomUUID().slice(0, 6)}.myshopify.com`),
      offlineSession(`copy-b-${randomUUID().slice(0, 6)}.myshopify.com`),
    ];
    await storage.storeSession(a);
    await storage.storeSession(b);
    const sealedA = await rawRow(a.id);
    await prisma.session.update({ where: { id: b.id }, data: { accessToken: sealedA.accessToken } });
    await expect(storage.loadSession(b.id)).rejects.toThrow(/does not authenticate/);
    await prisma.session.deleteMany({ where: { id: { in: [a.id, b.id] } } });
  });
});

describe("TOKEN_ENCRYPTION_KEYS", () => {
  const valid = {
    SHOPIFY_API_KEY: "key",
    SHOPIFY_API_SECRET: "secret",
    SHOPIFY_APP_URL: "https://app.example.com",
    OPENAI_API_KEY: "sk-test",
  };

  it("is required in production, with a message saying what to put there", () => {
    expect(() => parseEnv({ ...valid, NODE_ENV: "production" })).toThrowError(
      /TOKEN_ENCRYPTION_KEYS is required in production \(<id>:<base64 of 32 bytes>/,
    );
    expect(parseEnv({ ...valid, NODE_ENV: "production", TOKEN_ENCRYPTION_KEYS: newKey("prod1") }).NODE_ENV).toBe(
      "production",
    );
  });

  it("refuses malformed keys without echoing them", () => {
    const short = `k1:${randomBytes(16).toString("base64")}`;
    expect(() => parseEnv({ ...valid, TOKEN_ENCRYPTION_KEYS: short })).toThrowError(
      /TOKEN_ENCRYPTION_KEYS key "k1" must be exactly 32 bytes/,
    );
    expect(() => parseEnv({ ...valid, TOKEN_ENCRYPTION_KEYS: randomBytes(32).toString("base64") })).toThrowError(
      /TOKEN_ENCRYPTION_KEYS key 1 must be <id>:<base64 of 32 bytes>/,
    );
    const twice = newKey("same");
    expect(() => parseEnv({ ...valid, TOKEN_ENCRYPTION_KEYS: `${twice},${twice}` })).toThrowError(/listed twice/);
    try {
      parseEnv({ ...valid, TOKEN_ENCRYPTION_KEYS: short });
    } catch (error) {
      expect((error as Error).message).not.toContain(short.slice(3));
    }
  });
});
