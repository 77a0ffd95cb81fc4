/**
 * FAQ suggestions (docs/decisions/026): questions the chat could not answer, grouped by their
 * normalised text. Normalising folds case, accents, punctuation, word order, repeated words and a
 * few filler words, so "Do you ship to Canada?" and "ship to canada??" are one suggestion.
 */

// Greetings, politeness, articles, pronouns and auxiliaries in the storefront languages the chat
// sees most; question words (what, where, how) stay, as they change what is asked.
const FILLER = new Set(
  (
    "a an the please pls hi hello hey thanks thank you your i me my we do does did can could is are " +
    "bonjour salut merci svp stp le la les l un une des je vous est " +
    "hola gracias por favor el los las una unos " +
    "hallo danke bitte der die das ein eine"
  ).split(" "),
);

/** The text a question is grouped by: "" when nothing meaningful is left. */
export function normaliseQuestion(text: string): string {
  const words = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    // Redaction placeholders ([email], [card number]) are not words of the question.
    .replace(/\[[a-z ]+\]/g, " ")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word && !FILLER.has(word));
  return [...new Set(words)].sort().join(" ");
}

export interface UnansweredQuestion {
  text: string;
  dialogId: string;
  locale: string | null;
  askedAt: Date;
}

export interface FaqSuggestion {
  /** The normalised text: the suggestion's id, and what Dismiss remembers. */
  key: string;
  /** The wording shoppers used most (ties: the shortest), to prefill the FAQ form. */
  question: string;
  /** How many chats asked it. */
  chats: number;
  locale: string | null;
  lastAskedAt: string;
}

/**
 * Groups unanswered questions by normalised text, most-asked first (then most recent), leaving
 * out the keys in `exclude` (dismissed ones, and the FAQ's own questions).
 */
export function suggestFaqEntries(
  questions: readonly UnansweredQuestion[],
  exclude: ReadonlySet<string>,
  limit = 10,
): FaqSuggestion[] {
  const clusters = new Map<string, UnansweredQuestion[]>();
  for (const question of questions) {
    const key = normaliseQuestion(question.text);
    if (!key || exclude.has(key)) continue;
    clusters.set(key, [...(clusters.get(key) ?? []), question]);
  }
  return [...clusters]
    .map(([key, members]) => ({
      key,
      question: mostCommon(
        members.map((member) => member.text.trim()),
        (a, b) => a.length - b.length,
      )!,
      chats: new Set(members.map((member) => member.dialogId)).size,
      locale: mostCommon(members.flatMap((member) => (member.locale ? [member.locale] : []))) ?? null,
      lastAskedAt: new Date(Math.max(...members.map((member) => member.askedAt.getTime()))).toISOString(),
    }))
    .sort((a, b) => b.chats - a.chats || b.lastAskedAt.localeCompare(a.lastAskedAt))
    .slice(0, limit);
}

function mostCommon(values: string[], tieBreak: (a: string, b: string) => number = () => 0): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || tieBreak(a[0], b[0]))[0]?.[0];
}
