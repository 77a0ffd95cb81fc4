import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

import { AppError } from "~/lib/errors";

/** Between two readiness checks of a storage that was not ready, so an outage is not hammered. */
const RECHECK_AFTER_MS = 2_000;

/**
 * PrismaSessionStorage checks its table twice, 5 s apart, when it is constructed, and if Postgres
 * was unreachable then, it stays "not ready" for the life of the process: every later call throws
 * MissingSessionStorageError until someone calls isReady() (the library never does). A process that
 * boots during a database failover would answer every webhook 503 for ever. This wrapper asks
 * isReady() again (at most every RECHECK_AFTER_MS) and otherwise reports the outage as
 * DATABASE_UNAVAILABLE, which intake answers with 503 and the worker reschedules.
 */
export class ReadySessionStorage implements SessionStorage {
  private recheckedAt = 0;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the storage is generic over the PrismaClient type
  constructor(private readonly inner: PrismaSessionStorage<any>) {}

  storeSession(session: Session): Promise<boolean> {
    return this.call(() => this.inner.storeSession(session));
  }

  loadSession(id: string): Promise<Session | undefined> {
    return this.call(() => this.inner.loadSession(id));
  }

  deleteSession(id: string): Promise<boolean> {
    return this.call(() => this.inner.deleteSession(id));
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.call(() => this.inner.deleteSessions(ids));
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.call(() => this.inner.findSessionsByShop(shop));
  }

  isReady(): Promise<boolean> {
    return this.inner.isReady();
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isNotReady(error)) throw error;
      if (Date.now() - this.recheckedAt >= RECHECK_AFTER_MS) {
        this.recheckedAt = Date.now();
        if (await this.inner.isReady()) return work();
      }
      throw new AppError("DATABASE_UNAVAILABLE", "session storage is not ready: the database is unreachable", {
        retryable: true,
        userMessage: "Storewise cannot reach its database right now. It will try again shortly.",
        cause: error,
      });
    }
  }
}

/** The library's own "not ready" errors (their `name` is plain "Error": match the class name too). */
function isNotReady(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return [error.name, error.constructor.name].some(
    (name) => name === "MissingSessionStorageError" || name === "MissingSessionTableError",
  );
}
