import type { Redis } from "ioredis";

import { loadDialogState } from "~/services/support/dialog-state.server";
import { shopperIdentity } from "~/services/support/identity.server";
import type { Db } from "~/services/types";

export interface DialogHistory {
  dialogId: string;
  messages: { role: string; text: string; source: string | null; action: string | null; createdAt: string }[];
}

/**
 * A dialog's saved turns, for the widget reopening a conversation: only for the shop and shopper
 * the dialog is bound to; anyone else gets null, exactly like an unknown id.
 */
export async function readDialogHistory(options: {
  db: Db;
  redis: Redis;
  visitorSecret: string;
  shop: string;
  customerId: string | null;
  dialogId: string;
  visitorToken: string | null;
}): Promise<DialogHistory | null> {
  const { db, shop } = options;
  const identity = shopperIdentity({
    secret: options.visitorSecret,
    shop,
    customerId: options.customerId,
    visitorToken: options.visitorToken,
  });
  const live = await loadDialogState(options.redis, options.dialogId);
  if (live && (live.shop !== shop || live.visitorKey !== identity.key)) return null;
  const dialog = await db.supportDialog.findFirst({
    where: { id: options.dialogId, shopDomain: shop, visitorKey: identity.key },
    include: { messages: { orderBy: { createdAt: "asc" }, take: 200 } },
  });
  if (!dialog) return null;
  return {
    dialogId: dialog.id,
    messages: dialog.messages.map((message) => ({
      role: message.role,
      text: message.text,
      source: message.source,
      action: message.action,
      createdAt: message.createdAt.toISOString(),
    })),
  };
}
