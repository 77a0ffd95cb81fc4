// The insights summary (the app's "insights_summary" structured output): deterministic sentences
// built from the `Metrics: [...]` JSON the app puts in its user prompt, each citing the ids of the
// metrics whose figures it repeats, written exactly as given. A real model writes freer prose;
// what the tests need is a reply that uses the given figures, so the app's number check passes it,
// while a `reply` override (overrides.ts) stands in for a model that gets a figure wrong.
// OpenAI's structured outputs return the schema's shape
// (https://platform.openai.com/docs/guides/structured-outputs), so the reply is used only when the
// request's schema has a `sentences` array.
import type { JsonSchemaLike } from "./types";
import type { ChatRequest } from "./validate";

export const INSIGHTS_SCHEMA_NAME = "insights_summary";

interface Figure {
  id: string;
  label: string;
  value: string;
  previous?: string;
  change?: string;
}

const hasSentences = (schema: JsonSchemaLike) =>
  Boolean((schema as { properties?: Record<string, unknown> }).properties?.sentences);

/** The reply, or null when the request is not the app's insights call. */
export function insightsSummaryReply(
  req: ChatRequest,
): { sentences: Array<{ text: string; metricIds: string[] }> } | null {
  const format = req.responseFormat;
  if (format.type !== "json_schema" || format.name !== INSIGHTS_SCHEMA_NAME || !hasSentences(format.schema))
    return null;
  const user = [...req.messages].reverse().find((m) => m.role === "user")?.text ?? "";
  let figures: Figure[] = [];
  try {
    figures = JSON.parse(/^Metrics:\s*(\[.*\])\s*$/m.exec(user)?.[1] ?? "[]") as Figure[];
  } catch {
    figures = [];
  }
  const pick = ["net_sales", "orders", "average_order_value"];
  const sentences = figures
    .filter((f) => pick.includes(f.id) && f.value !== "—")
    .map((f) => ({
      text:
        f.previous && f.change && f.change !== "no comparison"
          ? `${f.label} was ${f.value}, against ${f.previous} in the previous period (${f.change}).`
          : `${f.label} was ${f.value}.`,
      metricIds: [f.id],
    }));
  return { sentences };
}

// The insights recommendations ("insights_recommendations"): one sentence per candidate in the
// app's `Candidates: [...]` JSON, naming its product and repeating its first figure exactly as
// given, citing that figure's id. Used only when the request's schema has a `recommendations` array.
export const RECOMMENDATIONS_SCHEMA_NAME = "insights_recommendations";

interface Candidate {
  ref: string;
  kind: string;
  product: string;
  language?: string;
  translation?: string;
  figures: Array<{ id: string; label: string; value: string }>;
}

/** The reply, or null when the request is not the app's recommendations call. */
export function insightsRecommendationsReply(
  req: ChatRequest,
): { recommendations: Array<{ ref: string; text: string; metricIds: string[] }> } | null {
  const format = req.responseFormat;
  const props = (format as { schema?: { properties?: Record<string, unknown> } }).schema?.properties;
  if (format.type !== "json_schema" || format.name !== RECOMMENDATIONS_SCHEMA_NAME || !props?.recommendations)
    return null;
  const user = [...req.messages].reverse().find((m) => m.role === "user")?.text ?? "";
  let candidates: Candidate[] = [];
  try {
    candidates = JSON.parse(/^Candidates:\s*(\[.*\])\s*$/m.exec(user)?.[1] ?? "[]") as Candidate[];
  } catch {
    candidates = [];
  }
  const recommendations = candidates.slice(0, 5).flatMap((c) => {
    const figure = c.figures[0];
    if (!figure) return [];
    const text =
      c.kind === "translate"
        ? `${c.translation === "outdated" ? "Update" : "Add"} the ${c.language} translation of ${c.product}: ${figure.label.toLowerCase()} came to ${figure.value}.`
        : c.kind === "chat-interest"
          ? `Shoppers asked the chat about ${c.product} in ${figure.value} conversations: answer it in your FAQ.`
          : `${c.product} has no Storewise copy yet and made ${figure.value} in net sales: write its description.`;
    return [{ ref: c.ref, text, metricIds: [figure.id] }];
  });
  return { recommendations };
}
