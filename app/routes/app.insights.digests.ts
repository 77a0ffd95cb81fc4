import { data, type ActionFunctionArgs } from "@remix-run/node";

import { llmFor } from "~/composition.server";
import { prisma } from "~/db.server";
import { actionStatus, isAppError } from "~/lib/errors";
import { generateDigest } from "~/services/insights/generate-digest.server";
import { authenticate } from "~/shopify.server";

export type DigestResult = { error: null; skipped: boolean } | { error: string; skipped: false };

/** Writes the last complete week's digest now (the weekly job writes it on Mondays). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    const result = await generateDigest({
      db: prisma,
      shop: session.shop,
      llm: llmFor(request.signal),
      trigger: "on-demand",
    });
    return { error: null, skipped: result.skipped } satisfies DigestResult;
  } catch (error) {
    if (isAppError(error)) {
      return data({ error: error.userMessage, skipped: false } satisfies DigestResult, { status: actionStatus(error) });
    }
    throw error;
  }
};
