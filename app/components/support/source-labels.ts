/** Where an answer came from, in a merchant's words. */
export const SOURCE_LABEL: Record<string, string> = {
  faq: "From your FAQ",
  policy: "From your policies",
  catalog: "From your catalog",
  order: "Order status",
  llm: "AI answer",
  handoff: "Handed to your team",
};
