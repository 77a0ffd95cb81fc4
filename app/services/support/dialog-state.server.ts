import type { Redis } from "ioredis";

/**
 * A dialog's live state in Redis: whom it is bound to and its recent turns, for the next answer's
 * context. Idle for 30 minutes, it expires; the transcript stays in Postgres for the merchant.
 */
export const DIALOG_IDLE_TTL_SECONDS = 30 * 60;
/** Turns sent back to the model as context (older ones are in the transcript only). */
const HISTORY_TURNS = 12;

export interface DialogTurn {
  role: "user" | "assistant";
  text: string;
}

export interface DialogState {
  shop: string;
  visitorKey: string;
  locale: string;
  history: DialogTurn[];
}

const key = (dialogId: string) => `storewise:support:dialog:${dialogId}`;

export async function loadDialogState(redis: Redis, dialogId: string): Promise<DialogState | null> {
  const raw = await redis.get(key(dialogId));
  return raw ? (JSON.parse(raw) as DialogState) : null;
}

export async function saveDialogState(redis: Redis, dialogId: string, state: DialogState): Promise<void> {
  const trimmed = { ...state, history: state.history.slice(-HISTORY_TURNS) };
  await redis.set(key(dialogId), JSON.stringify(trimmed), "EX", DIALOG_IDLE_TTL_SECONDS);
}

export async function dropDialogStates(redis: Redis, dialogIds: string[]): Promise<void> {
  if (dialogIds.length) await redis.del(...dialogIds.map(key));
}
