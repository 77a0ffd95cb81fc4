import { randomUUID } from "node:crypto";

import { Prisma } from "@prisma/client";

import type { Db } from "~/services/types";

/** One chat turn's rows: its dialog (created on the first turn) and the two messages. */
export interface ChatTurnRows {
  dialog: { id: string; shopDomain: string; visitorKey: string; customerId: string | null; locale: string };
  user: { text: string; at: Date };
  assistant: { text: string; source: string; action: string; latencyMs: number; at: Date };
}

interface Waiting {
  turn: ChatTurnRows;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Turns written by one statement at most (a few hundred parameters). */
const MAX_BATCH = 100;

const queues = new WeakMap<Db, { waiting: Waiting[]; flushing: boolean }>();

/**
 * Saves a chat turn, resolving once its rows are committed (decision 027): a group commit. While
 * one write is in flight the turns that arrive wait and then go together in one statement (the
 * dialogs upserted and the messages inserted, as one transaction), so a busy storefront costs one
 * round trip per batch instead of five per turn. An idle chat writes each turn at once. A batch that
 * fails is retried turn by turn, so one bad turn fails only its own request.
 */
export function saveChatTurn(db: Db, turn: ChatTurnRows): Promise<void> {
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = { waiting: [], flushing: false }));
  const promise = new Promise<void>((resolve, reject) => queue.waiting.push({ turn, resolve, reject }));
  if (!queue.flushing) void flush(db, queue);
  return promise;
}

async function flush(db: Db, queue: { waiting: Waiting[]; flushing: boolean }) {
  queue.flushing = true;
  try {
    while (queue.waiting.length) {
      const batch = queue.waiting.splice(0, MAX_BATCH);
      try {
        await writeTurns(
          db,
          batch.map((waiting) => waiting.turn),
        );
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.reject(error);
          continue;
        }
        for (const waiting of batch) {
          await writeTurns(db, [waiting.turn]).then(waiting.resolve, waiting.reject);
        }
      }
    }
  } finally {
    queue.flushing = false;
  }
}

function writeTurns(db: Db, turns: ChatTurnRows[]): Promise<number> {
  // One row per dialog (ON CONFLICT cannot touch a row twice in one statement); the last turn's
  // locale wins, as it would written one by one.
  const dialogs = new Map(turns.map((turn) => [turn.dialog.id, turn.dialog]));
  const dialogRows = [...dialogs.values()].map(
    (dialog) =>
      Prisma.sql`(${dialog.id}, ${dialog.shopDomain}, ${dialog.visitorKey}, ${dialog.customerId}, ${dialog.locale})`,
  );
  const messageRows = turns.flatMap((turn) => [
    Prisma.sql`(${randomUUID()}, ${turn.dialog.id}, 'user', ${turn.user.text}, NULL, NULL, ${turn.dialog.locale}, NULL, ${turn.user.at})`,
    Prisma.sql`(${randomUUID()}, ${turn.dialog.id}, 'assistant', ${turn.assistant.text}, ${turn.assistant.source}, ${turn.assistant.action}, ${turn.dialog.locale}, ${turn.assistant.latencyMs}::int, ${turn.assistant.at})`,
  ]);
  // A single statement is a single transaction: the dialog rows exist when the messages' foreign
  // keys are checked (at the statement's end).
  return db.$executeRaw`
    WITH dialogs AS (
      INSERT INTO "SupportDialog" (id, "shopDomain", "visitorKey", "customerId", locale)
      VALUES ${Prisma.join(dialogRows)}
      ON CONFLICT (id) DO UPDATE SET "lastMessageAt" = EXCLUDED."lastMessageAt", locale = EXCLUDED.locale
      RETURNING id
    )
    INSERT INTO "SupportMessage" (id, "dialogId", role, text, source, action, locale, "latencyMs", "createdAt")
    VALUES ${Prisma.join(messageRows)}`;
}
