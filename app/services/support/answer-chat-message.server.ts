import type { Redis } from "ioredis";

import { isAppError } from "~/lib/errors";
import { hashOrderEmail } from "~/services/orders/email-hash";
import { logger } from "~/lib/logger.server";
import { supportChatRefused, supportChatTurns } from "~/lib/metrics.server";
import type { Llm } from "~/services/ports/llm";
import { loadDialogState, saveDialogState, type DialogState } from "~/services/support/dialog-state.server";
import { randomHexId, shopperIdentity, type ShopperIdentity } from "~/services/support/identity.server";
import { FAQ_CONFIDENT_SCORE, matchFaq, type FaqMatch } from "~/services/support/match-faq.server";
import { baseLanguage, chatMessage } from "~/services/support/messages";
import { answerOrderQuestion, looksLikeOrderQuestion, namesAnOrder } from "~/services/support/order-step.server";
import type { ShopperOrderLookup } from "~/services/support/order-lookup";
import { redactPii } from "~/services/support/pii";
import { matchPassages } from "~/services/support/match-passages.server";
import { answerFromPassage } from "~/services/support/answer-from-passage";
import { toPlainText } from "~/services/support/plain-text";
import { checkChatRate } from "~/services/support/rate-limits.server";
import { leaksInstructions, supportMessages } from "~/services/support/reply/prompt";
import { SUPPORT_REPLY_SCHEMA_NAME, supportReplySchema } from "~/services/support/reply/schema";
import { createHandoffTicket } from "~/services/support/create-handoff-ticket.server";
import { loadChatShop } from "~/services/support/support-settings.server";
import { saveChatTurn } from "~/services/support/save-chat-turn.server";
import { cachedFaqMatches } from "~/services/support/faq-cache";
import type { Db } from "~/services/types";
import { tokenCapReached } from "~/services/usage/monthly-usage.server";

export type ChatSource = "faq" | "policy" | "catalog" | "order" | "llm" | "handoff";
/** How much of one store passage (a policy, page or product) goes into the model's prompt. */
const STORE_PASSAGE_PROMPT_CHARS = 1_500;

export type ChatAction = "answer" | "ask" | "handoff";

export interface ChatReply {
  dialogId: string;
  /** The anonymous visitor's signed token, for the widget to send back (null for a customer). */
  visitorToken: string | null;
  answer: string;
  source: ChatSource;
  action: ChatAction;
  locale: string;
}

export type ChatTurnResult =
  | { kind: "reply"; reply: ChatReply }
  | {
      kind: "rate_limited";
      scope: "visitor" | "shop";
      retryAfterSeconds: number;
      message: string;
      visitorToken: string | null;
    }
  | { kind: "dialog_not_found" };

export interface ChatTurnInput {
  message?: string;
  handoff?: { email: string; question: string };
  dialogId?: string;
  visitorToken?: string;
  locale?: string;
}

export interface ChatDeps {
  db: Db;
  redis: Redis;
  llm: Llm;
  /** The order step; null until the order table is wired in (the ladder then skips it). */
  orders: ShopperOrderLookup | null;
  /** Signs anonymous visitor tokens (derived from the app secret, never sent anywhere). */
  visitorSecret: string;
  visitorPerMinute: number;
  /** How long the model may take for one answer before the chat falls back. */
  llmBudgetMs: number;
  /** Keys the hash of a handoff's email, so customers/redact finds a guest's tickets (the order table's key). */
  emailHashKey?: Buffer;
}

interface Options extends ChatDeps {
  /** The verified shop (the app proxy's signed `shop`). */
  shop: string;
  /** The verified logged_in_customer_id, or null. */
  customerId: string | null;
  input: ChatTurnInput;
  now?: Date;
}

interface Answer {
  answer: string;
  source: ChatSource;
  action: ChatAction;
}

/**
 * One shopper message (or handoff request) through the support chat: identity, per-visitor and
 * per-shop limits, the dialog bound to that identity, then the answer ladder: the shop's FAQ, the
 * order step, the model with the retrieved passages, and when the model is down or slow the FAQ
 * if confident, otherwise a handoff (decision 019). Every turn is saved, PII-redacted.
 */
export async function answerChatMessage(options: Options): Promise<ChatTurnResult> {
  const { db, redis, shop, input } = options;
  const started = Date.now();
  const identity = shopperIdentity({
    secret: options.visitorSecret,
    shop,
    customerId: options.customerId,
    visitorToken: input.visitorToken,
  });
  // The shop's settings and row in one read, then the limit (which needs the settings).
  const { settings, ...shopRow } = await loadChatShop({ db, shop });
  const rate = await checkChatRate({
    redis,
    shop,
    visitorKey: identity.key,
    visitorPerMinute: options.visitorPerMinute,
    shopPerMinute: settings.messagesPerMinute,
  });
  const fallbackLocale = input.locale ?? shopRow.primaryLocale ?? "en";
  if (rate.limited) {
    supportChatRefused.inc({ reason: `rate_limited_${rate.scope}` });
    return {
      kind: "rate_limited",
      scope: rate.scope,
      retryAfterSeconds: rate.retryAfterSeconds,
      message: chatMessage(rate.scope === "visitor" ? "rateLimited" : "shopBusy", fallbackLocale),
      visitorToken: identity.visitorToken,
    };
  }

  const dialog = await openDialog({ db, redis, shop, identity, dialogId: input.dialogId, locale: fallbackLocale });
  if (!dialog) {
    supportChatRefused.inc({ reason: "dialog_not_found" });
    return { kind: "dialog_not_found" };
  }
  const locale = input.locale ?? dialog.state.locale;
  const language = baseLanguage(locale);

  let shopperText: string;
  let answer: Answer;
  if (input.handoff) {
    shopperText = redactPii(input.handoff.question);
    answer = await createHandoffTicket({
      db,
      shop,
      dialogId: dialog.id,
      customerId: identity.customerId,
      email: input.handoff.email,
      emailHash: options.emailHashKey ? hashOrderEmail(options.emailHashKey, input.handoff.email) : null,
      question: shopperText,
      locale,
      hours: settings.hours,
      now: options.now ?? new Date(),
    });
  } else {
    const message = input.message ?? "";
    shopperText = redactPii(message);
    answer = await ladder({
      ...options,
      identity,
      message,
      redacted: shopperText,
      language,
      storeName: shopRow.name ?? shop.replace(/\.myshopify\.com$/, ""),
      primaryLanguage: baseLanguage(shopRow.primaryLocale ?? "en"),
      monthlyTokenCap: shopRow.monthlyTokenCap,
      history: dialog.state.history,
    });
  }
  answer = { ...answer, answer: toPlainText(answer.answer) };
  const latencyMs = Date.now() - started;

  // Committed before the reply leaves, grouped with concurrent turns (save-chat-turn.server.ts).
  const answeredAt = Math.max(Date.now(), started + 1);
  await Promise.all([
    saveChatTurn(db, {
      dialog: { id: dialog.id, shopDomain: shop, visitorKey: identity.key, customerId: identity.customerId, locale },
      user: { text: shopperText, at: new Date(started) },
      assistant: { ...answer, text: answer.answer, latencyMs, at: new Date(answeredAt) },
    }),
    saveDialogState(redis, dialog.id, {
      ...dialog.state,
      locale,
      history: [
        ...dialog.state.history,
        { role: "user", text: shopperText },
        { role: "assistant", text: answer.answer },
      ],
    }),
  ]);
  supportChatTurns.observe({ source: answer.source, action: answer.action }, latencyMs / 1000);
  logger.info(
    { shop, dialogId: dialog.id, source: answer.source, action: answer.action, latencyMs },
    "support chat answered",
  );
  return { kind: "reply", reply: { dialogId: dialog.id, visitorToken: identity.visitorToken, locale, ...answer } };
}

/**
 * The dialog for this turn: a new one (the server picks the id), or the given one when it exists
 * and is bound to this shop and this shopper. Anything else is "not found", whether the id is
 * unknown, expired from Redis and never saved, or someone else's: no answer tells them apart.
 */
async function openDialog(options: {
  db: Db;
  redis: Redis;
  shop: string;
  identity: ShopperIdentity;
  dialogId: string | undefined;
  locale: string;
}): Promise<{ id: string; state: DialogState } | null> {
  const { db, redis, shop, identity } = options;
  if (!options.dialogId) {
    // The row is written with the turn's messages (one transaction), not here.
    const id = randomHexId();
    return { id, state: { shop, visitorKey: identity.key, locale: options.locale, history: [] } };
  }
  const id = options.dialogId;
  const live = await loadDialogState(redis, id);
  if (live) return live.shop === shop && live.visitorKey === identity.key ? { id, state: live } : null;
  // Idle past the TTL: the transcript is still bound to its owner, who continues with fresh context.
  const saved = await db.supportDialog.findFirst({ where: { id, shopDomain: shop, visitorKey: identity.key } });
  return saved
    ? { id, state: { shop, visitorKey: identity.key, locale: saved.locale ?? options.locale, history: [] } }
    : null;
}

async function ladder(
  options: Options & {
    identity: ShopperIdentity;
    message: string;
    redacted: string;
    language: string;
    storeName: string;
    primaryLanguage: string;
    monthlyTokenCap: number | null;
    history: DialogState["history"];
  },
): Promise<Answer> {
  const { db, redis, shop, identity, language } = options;
  const orderStep = () =>
    answerOrderQuestion({ redis, orders: options.orders!, shop, identity, message: options.message, locale: language });
  // A message naming an order ("#1001") is about that order. Order words alone ("Can I change my
  // order?", "How long does delivery take?") are often the merchant's FAQ, so the FAQ goes first.
  if (options.orders && namesAnOrder(options.message)) {
    const order = await orderStep();
    if (order) return order;
  }

  // Embeddings are asked for only when no entry matches confidently in the shopper's words.
  const faq = await cachedFaqMatches({ shop, message: options.redacted, language }, () =>
    matchFaq({ db, shop, message: options.redacted, language, llm: options.llm }),
  );
  const best = faq[0];
  const sameLanguage = (entry: FaqMatch) => !entry.locale || baseLanguage(entry.locale) === language;
  if (best && best.score >= FAQ_CONFIDENT_SCORE && sameLanguage(best)) {
    return { answer: best.answer, source: "faq", action: "answer" };
  }
  if (options.orders && !namesAnOrder(options.message) && looksLikeOrderQuestion(options.message)) {
    const order = await orderStep();
    if (order) return order;
  }

  const storePassages = await matchPassages({ db, shop, message: options.redacted, language });
  // A policy or product the message names outright answers from the store's own words.
  const direct = answerFromPassage({
    message: options.redacted,
    passages: storePassages,
    language,
    primaryLanguage: options.primaryLanguage,
  });
  if (direct) return { ...direct, action: "answer" };
  try {
    // The merchant's monthly AI budget covers the chat too: past it, the chat falls back at once.
    if (await tokenCapReached({ db, shop, cap: options.monthlyTokenCap })) throw new Error("monthly token cap reached");
    const budget = AbortSignal.timeout(options.llmBudgetMs);
    const { data } = await options.llm.generateStructured({
      shop,
      task: "support",
      schema: supportReplySchema,
      schemaName: SUPPORT_REPLY_SCHEMA_NAME,
      messages: supportMessages({
        storeName: options.storeName,
        language,
        passages: [
          ...faq.map((entry) => `${toPlainText(entry.question)} ${toPlainText(entry.answer)}`),
          // The store's policies, pages and products (index-store-content.server.ts,
          // index-catalog.server.ts), in the shopper's language when the store translated them.
          ...storePassages.map((passage) => `${passage.title}: ${passage.body.slice(0, STORE_PASSAGE_PROMPT_CHARS)}`),
        ],
        history: options.history,
        message: options.redacted,
      }),
      timeoutMs: options.llmBudgetMs,
      signal: budget,
      maxTokens: 400,
      reask: false,
    });
    const text = toPlainText(data.answer);
    if (!text) throw new Error("empty support reply");
    if (leaksInstructions(text)) {
      logger.warn({ shop }, "support reply repeated its instructions; replaced");
      return { answer: chatMessage("cannotShare", language), source: "llm", action: "answer" };
    }
    return {
      answer: data.action === "handoff" ? `${text} ${chatMessage("handoffOffer", language)}` : text,
      source: "llm",
      action: data.action,
    };
  } catch (error) {
    logger.warn(
      { shop, code: isAppError(error) ? error.code : (error as Error).name },
      "support chat fell back: the model did not answer in time",
    );
    if (best && best.score >= FAQ_CONFIDENT_SCORE) return { answer: best.answer, source: "faq", action: "answer" };
    return { answer: chatMessage("handoffOffer", language), source: "handoff", action: "handoff" };
  }
}
