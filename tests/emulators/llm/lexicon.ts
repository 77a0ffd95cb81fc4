// A small cross-language lexicon for the emulator's embeddings: every fr/de/es word the
// translation dictionary knows (translation.ts) plus the words shoppers use about returns,
// shipping, payment and orders, each mapped to its English word. Embedding the English word
// instead of the written one puts "Wie lange dauert der Versand?" near "How long does shipping
// take?", as a real multilingual embedding model would (OpenAI's text-embedding-3 models are
// multilingual: https://platform.openai.com/docs/guides/embeddings).

/** English word → its fr, de and es words (several forms allowed, separated by "|"). */
export const SUPPORT_VOCABULARY: Record<string, { fr: string; de: string; es: string }> = {
  return: {
    fr: "retour|retourner|retours|renvoyer",
    de: "rückgabe|zurückgeben|rücksendung|retoure|umtausch",
    es: "devolución|devolver|devoluciones",
  },
  refund: { fr: "remboursement|rembourser", de: "erstattung|rückerstattung|erstatten", es: "reembolso|reembolsar" },
  policy: { fr: "politique|conditions", de: "richtlinie|richtlinien|bedingungen", es: "política|políticas" },
  shipping: { fr: "livraison|expédition", de: "versand|lieferung|zustellung", es: "envío|envio|envíos" },
  ship: { fr: "expédiez|livrez", de: "versenden|liefern", es: "envían|envian" },
  days: { fr: "jours", de: "tage|tagen", es: "días|dias" },
  long: { fr: "combien", de: "lange", es: "cuánto|cuanto" },
  time: { fr: "temps|délai", de: "zeit|dauer|dauert", es: "tiempo|plazo" },
  payment: { fr: "paiement|payer", de: "zahlung|bezahlen|zahlungsmethoden|zahlen", es: "pago|pagar" },
  methods: { fr: "moyens|méthodes", de: "methoden|arten", es: "métodos|formas" },
  accept: { fr: "acceptez", de: "akzeptieren", es: "aceptan" },
  items: { fr: "articles", de: "artikel|waren", es: "artículos" },
  unworn: { fr: "non|portés", de: "ungetragene|ungetragen", es: "usar|usados" },
  full: { fr: "complet|intégral", de: "volle|vollständige", es: "completo" },
  international: { fr: "international|internationale", de: "international|ausland", es: "internacional" },
  exchange: { fr: "échange|échanger", de: "tauschen", es: "cambio|cambiar" },
  size: { fr: "taille", de: "größe|grösse", es: "talla" },
  what: { fr: "quelle|quel|quels|quelles", de: "was|welche|welcher", es: "qué|cuál|cual" },
  how: { fr: "comment", de: "wie", es: "cómo|como" },
  is: { fr: "est", de: "ist", es: "es" },
  your: { fr: "votre|vos", de: "ihre|ihr|eure", es: "su|sus" },
  do: { fr: "faites", de: "machen", es: "hacen" },
  you: { fr: "vous", de: "sie", es: "usted" },
  have: { fr: "avez|ai", de: "habe|haben", es: "tengo|tiene" },
  can: { fr: "peux|pouvez|puis", de: "kann|können", es: "puedo|puede" },
  i: { fr: "je", de: "ich", es: "yo" },
  care: { fr: "entretien", de: "pflege|pflegehinweise", es: "cuidado" },
  instructions: { fr: "instructions|consignes", de: "hinweise|anleitung", es: "instrucciones" },
};

/** fr/de/es word → English word. */
const TO_ENGLISH = new Map<string, string>();
for (const [english, forms] of Object.entries(SUPPORT_VOCABULARY)) {
  for (const list of Object.values(forms))
    for (const word of list.split("|")) if (!TO_ENGLISH.has(word)) TO_ENGLISH.set(word, english);
}

/** Adds a translation dictionary's words (English → target) to the reverse lexicon. */
export function learnDictionary(dictionary: Record<string, Record<string, string>>): void {
  for (const words of Object.values(dictionary)) {
    for (const [english, translated] of Object.entries(words)) {
      for (const word of translated.toLowerCase().split(/\s+/))
        if (!TO_ENGLISH.has(word)) TO_ENGLISH.set(word, english);
    }
  }
}

/** The English word for a lower-cased word of another language, or the word itself. */
export function toEnglish(word: string): string {
  return TO_ENGLISH.get(word) ?? word;
}

/** The vocabulary as an English → target dictionary, for the translation replies. */
export function vocabularyFor(language: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [english, forms] of Object.entries(SUPPORT_VOCABULARY)) {
    const list = forms[language as keyof typeof forms];
    if (list) out[english] = list.split("|")[0]!;
  }
  return out;
}
