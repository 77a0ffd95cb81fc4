/**
 * Orders placed after chatting (docs/decisions/026). When the shop issues a dialog id, the widget
 * writes it into the cart's attributes (extensions/support-chat-src/ui.ts, Ajax Cart API); checkout
 * copies cart attributes onto the order (REST note_attributes, GraphQL Order.customAttributes), and
 * the order ingest keeps the id on the Order row.
 */
export const CHAT_CART_ATTRIBUTE = "storewise_chat_dialog";

// A dialog id as the server issues them (docs/decisions/019). Anyone can set a cart attribute, so
// anything else is ignored; an id of the right shape still counts only if it names one of the
// shop's own dialogs started before the order (the analytics query joins on both).
const DIALOG_ID = /^[0-9a-f]{32}$/;

/** The chat dialog an order's attributes name, or null. */
export function chatDialogIdOf(attributes: ReadonlyArray<{ key: string; value: string | null }>): string | null {
  const value = attributes.find((attribute) => attribute.key === CHAT_CART_ATTRIBUTE)?.value?.trim();
  return value && DIALOG_ID.test(value) ? value : null;
}
