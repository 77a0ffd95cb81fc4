/**
 * Approximate list prices in USD per million tokens, for the usage estimate shown to merchants.
 * Matched by model-name prefix; a model not listed shows tokens only.
 */
export const LLM_PRICES_PER_MILLION: Array<{ prefix: string; prompt: number; completion: number }> = [
  { prefix: "gpt-4o-mini", prompt: 0.15, completion: 0.6 },
  { prefix: "gpt-4o", prompt: 2.5, completion: 10 },
  { prefix: "gpt-4.1-mini", prompt: 0.4, completion: 1.6 },
  { prefix: "gpt-4.1", prompt: 2, completion: 8 },
  { prefix: "text-embedding-3-small", prompt: 0.02, completion: 0 },
];

export function priceFor(model: string) {
  return LLM_PRICES_PER_MILLION.find((price) => model.startsWith(price.prefix)) ?? null;
}
