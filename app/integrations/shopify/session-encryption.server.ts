import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

import { logger } from "~/lib/logger.server";
import { TokenCipher, TokenKeyError } from "~/lib/token-cipher.server";

type Db = Pick<PrismaClient, "session">;
type TokenField = "accessToken" | "refreshToken";
const TOKEN_FIELDS: TokenField[] = ["accessToken", "refreshToken"];

/** What a session row's token columns hold, exactly as stored. */
interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
}

/** The additional data a column's sealed value is bound to: it opens in this row and column only. */
const context = (sessionId: string, field: TokenField) => `session:${sessionId}:${field}`;

/**
 * Session storage that keeps access and refresh tokens sealed at rest (decision 010): the inner
 * storage (Prisma) only ever sees ciphertext. A row written before encryption, or sealed under a
 * key that is no longer the newest, still loads, and is re-sealed under the newest key on the way
 * out, only if its columns still hold what was read (a refresh stored meanwhile wins).
 */
export class EncryptedSessionStorage implements SessionStorage {
  constructor(
    private readonly inner: SessionStorage,
    private readonly options: { cipher: TokenCipher; db: Db },
  ) {}

  storeSession(session: Session): Promise<boolean> {
    const sealed = new Session(session.toObject());
    for (const field of TOKEN_FIELDS) {
      const value = session[field];
      if (value) sealed[field] = this.options.cipher.encrypt(value, context(session.id, field));
    }
    return this.inner.storeSession(sealed);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.inner.loadSession(id);
    return stored && this.open(stored);
  }

  /**
   * The shop's sessions. One that no configured key opens comes back without its tokens (it is
   * unusable, but uninstall and redact must still find and delete it).
   */
  async findSessionsByShop(shop: string): Promise<Session[]> {
    const stored = await this.inner.findSessionsByShop(shop);
    return Promise.all(
      stored.map((session) =>
        this.open(session).catch((error: unknown) => {
          if (!(error instanceof TokenKeyError)) throw error;
          logger.error({ err: error, shop }, "stored session does not open with TOKEN_ENCRYPTION_KEYS");
          const unusable = new Session(session.toObject());
          unusable.accessToken = undefined;
          unusable.refreshToken = undefined;
          return unusable;
        }),
      ),
    );
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  private async open(stored: Session): Promise<Session> {
    const { cipher, db } = this.options;
    const opened = new Session(stored.toObject());
    for (const field of TOKEN_FIELDS) {
      const value = stored[field];
      if (value) opened[field] = openValue(cipher, value, context(stored.id, field));
    }
    const raw = { accessToken: stored.accessToken ?? "", refreshToken: stored.refreshToken ?? null };
    if (!isCurrent(cipher, raw)) {
      await reseal(db, cipher, stored.id, raw).catch((error: unknown) =>
        logger.warn(
          { err: error, shop: stored.shop },
          "could not re-encrypt a session's tokens; will retry on next load",
        ),
      );
    }
    return opened;
  }
}

function openValue(cipher: TokenCipher, value: string, where: string): string {
  // Shopify tokens (shpat_, shprt_, shpua_) never start with the sealed prefix.
  return TokenCipher.isSealed(value) ? cipher.decrypt(value, where) : value;
}

function isCurrent(cipher: TokenCipher, tokens: StoredTokens): boolean {
  return TOKEN_FIELDS.every((field) => !tokens[field] || cipher.isCurrent(tokens[field]));
}

/** Re-seals one row's tokens under the newest key if the row still holds `from`; false when it changed meanwhile. */
async function reseal(db: Db, cipher: TokenCipher, id: string, from: StoredTokens): Promise<boolean> {
  const to: Partial<StoredTokens> = {};
  for (const field of TOKEN_FIELDS) {
    const value = from[field];
    if (value && !cipher.isCurrent(value)) {
      to[field] = cipher.encrypt(openValue(cipher, value, context(id, field)), context(id, field));
    }
  }
  const { count } = await db.session.updateMany({
    where: { id, accessToken: from.accessToken, refreshToken: from.refreshToken },
    data: to,
  });
  return count === 1;
}

export interface ReencryptionReport {
  scanned: number;
  reencrypted: number;
  /** Rows whose tokens changed while being re-encrypted (they were written under the newest key). */
  changedMeanwhile: number;
  /** Rows that could not be opened with any configured key (ids only, never tokens). */
  failed: string[];
}

/**
 * Moves every session row to the newest key: plaintext rows from before encryption and rows
 * sealed under an older key are re-sealed. Safe to run while the app serves traffic, and again.
 */
export async function reencryptSessionTokens({
  db,
  cipher,
  batchSize = 200,
}: {
  db: Db;
  cipher: TokenCipher;
  batchSize?: number;
}): Promise<ReencryptionReport> {
  const report: ReencryptionReport = { scanned: 0, reencrypted: 0, changedMeanwhile: 0, failed: [] };
  let after: string | undefined;
  for (;;) {
    const rows = await db.session.findMany({
      select: { id: true, accessToken: true, refreshToken: true },
      orderBy: { id: "asc" },
      take: batchSize,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    });
    if (rows.length === 0) return report;
    for (const row of rows) {
      report.scanned++;
      if (isCurrent(cipher, row)) continue;
      try {
        if (await reseal(db, cipher, row.id, row)) report.reencrypted++;
        else report.changedMeanwhile++;
      } catch {
        report.failed.push(row.id);
      }
    }
    after = rows[rows.length - 1]!.id;
  }
}
