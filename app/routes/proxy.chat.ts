import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { supportChatDeps } from "~/composition.server";
import { authenticate } from "~/shopify.server";
import { answerChatMessage } from "~/services/support/answer-chat-message.server";
import { readDialogHistory } from "~/services/support/read-dialog-history.server";

// Storefront support chat: /apps/storewise/chat on the storefront reaches /proxy/chat through
// Shopify's app proxy (docs/decisions/019). Only what the proxy signed is trusted: `shop` and
// `logged_in_customer_id`, after authenticate.public.appProxy has checked the signature (a hex
// HMAC-SHA256 over the sorted query) and its timestamp (within 90 s).

/** A chat message is a sentence or two; anything bigger is not a shopper typing. */
const MAX_CHAT_BODY_BYTES = 4 * 1024;

const dialogId = z.string().regex(/^[0-9a-f]{32}$/, "dialogId is 32 lowercase hex characters");
const chatRequest = z.union([
  z.object({
    message: z.string().trim().min(1, "message is empty").max(1_000, "message is too long"),
    dialogId: dialogId.optional(),
    visitorToken: z.string().max(200).optional(),
    locale: z.string().max(20).optional(),
  }),
  z.object({
    handoff: z.object({
      email: z.email("a valid email is required").max(254),
      question: z.string().trim().min(1, "question is empty").max(1_000, "question is too long"),
    }),
    dialogId: dialogId.optional(),
    visitorToken: z.string().max(200).optional(),
    locale: z.string().max(20).optional(),
  }),
]);

const json = (body: unknown, status: number, headers?: Record<string, string>) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });

/** The signed shop and customer, or a 401 answer: a bad or stale signature, before any other work. */
async function verifiedShopper(request: Request): Promise<{ shop: string; customerId: string | null } | Response> {
  try {
    const { session } = await authenticate.public.appProxy(request);
    // Signed, but for a shop that has no session with us (never installed, or uninstalled).
    if (!session) return json({ error: "Unauthorized" }, 401);
    const params = new URL(request.url).searchParams;
    return { shop: session.shop, customerId: params.get("logged_in_customer_id") || null };
  } catch (error) {
    if (error instanceof Response && error.status === 400) return json({ error: "Unauthorized" }, 401);
    throw error;
  }
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const shopper = await verifiedShopper(request);
  if (shopper instanceof Response) return shopper;
  if (request.method !== "POST") return json({ error: "Method not allowed" }, 405, { Allow: "GET, POST" });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_CHAT_BODY_BYTES) {
    return json({ error: "Message too large" }, 413);
  }
  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_CHAT_BODY_BYTES) return json({ error: "Message too large" }, 413);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return json({ error: "Body must be JSON" }, 400);
  }
  const parsed = chatRequest.safeParse(body);
  if (!parsed.success) {
    return json({ error: "Invalid request", issues: parsed.error.issues.map((issue) => issue.message) }, 400);
  }
  const result = await answerChatMessage({
    ...(await supportChatDeps(request.signal)),
    shop: shopper.shop,
    customerId: shopper.customerId,
    input: parsed.data,
  });
  switch (result.kind) {
    case "reply":
      return json(result.reply, 200);
    case "rate_limited":
      return json(
        { error: "rate_limited", scope: result.scope, answer: result.message, visitorToken: result.visitorToken },
        429,
        { "Retry-After": String(result.retryAfterSeconds) },
      );
    case "dialog_not_found":
      return json({ error: "dialog_not_found" }, 404);
  }
};

/** GET /proxy/chat?dialogId=…&visitorToken=…: the dialog's history, for its owner only. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shopper = await verifiedShopper(request);
  if (shopper instanceof Response) return shopper;
  const params = new URL(request.url).searchParams;
  const id = dialogId.safeParse(params.get("dialogId"));
  if (!id.success) return json({ error: "Invalid request", issues: ["dialogId is 32 lowercase hex characters"] }, 400);
  const { db, redis, visitorSecret } = await supportChatDeps();
  const history = await readDialogHistory({
    db,
    redis,
    visitorSecret,
    shop: shopper.shop,
    customerId: shopper.customerId,
    dialogId: id.data,
    visitorToken: params.get("visitorToken"),
  });
  return history ? json(history, 200) : json({ error: "dialog_not_found" }, 404);
};
