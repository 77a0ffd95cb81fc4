import { z } from "zod";

/** The name the support reply's schema is sent under (the LLM emulator recognises it). */
export const SUPPORT_REPLY_SCHEMA_NAME = "support_reply";

/** What the model returns for a chat turn: handing off is an action, not a phrase to detect. */
export const supportReplySchema = z.object({
  action: z
    .enum(["answer", "ask", "handoff"])
    .describe("answer: the passages answer it; ask: a clarifying question; handoff: a human must help"),
  answer: z.string().min(1).max(1_200).describe("Plain text for the shopper, in the reply language"),
});

export type SupportReply = z.infer<typeof supportReplySchema>;
