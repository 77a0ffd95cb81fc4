// Translation replies. A prompt that carries a translation request as one JSON line
// ({"sourceLocale","targetLocale","glossary":[...],"fields":[{key,value}]}, what Storewise sends) is
// answered with every field translated word by word from a small fr/de/es dictionary, enough for a
// language detector to recognise the output; unknown words (names, rare words) are kept. HTML tags,
// Liquid tokens ({{ }}, {% %}) and placeholders (⟦n⟧) come back exactly as given, and glossary
// terms are written as the glossary says, as a model following its instructions would. Structured
// outputs (https://platform.openai.com/docs/guides/structured-outputs) hold a reply to the
// schema's shape but not to what the strings say, so the `translation` override can make a reply
// that breaks the HTML, drops a placeholder or stays in the source language.

import { learnDictionary, vocabularyFor } from "./lexicon";

export type TranslationFault = "break-html" | "drop-placeholder" | "wrong-language";

export interface TranslationBrief {
  sourceLocale: string;
  targetLocale: string;
  glossary: Array<{ source: string; target: string; caseSensitive?: boolean }>;
  fields: Array<{ key: string; value: string }>;
}

type Json = Record<string, unknown>;

/** The first JSON line of the user messages that is a translation request, if any. */
export function translationBrief(messages: ReadonlyArray<{ role: string; text: string }>): TranslationBrief | null {
  for (const message of messages) {
    if (message.role !== "user") continue;
    for (const line of message.text.split("\n")) {
      const trimmed = line.trim();
      if (!trimmed.startsWith("{") || !trimmed.includes('"targetLocale"')) continue;
      try {
        const value = JSON.parse(trimmed) as Json;
        if (typeof value.targetLocale !== "string" || !Array.isArray(value.fields)) continue;
        const fields = (value.fields as Json[])
          .filter((field) => typeof field?.key === "string" && typeof field?.value === "string")
          .map((field) => ({ key: field.key as string, value: field.value as string }));
        const glossary = Array.isArray(value.glossary)
          ? (value.glossary as Json[])
              .filter((term) => typeof term?.source === "string" && typeof term?.target === "string")
              .map((term) => ({
                source: term.source as string,
                target: term.target as string,
                caseSensitive: term.caseSensitive === true,
              }))
          : [];
        return {
          sourceLocale: typeof value.sourceLocale === "string" ? value.sourceLocale : "en",
          targetLocale: value.targetLocale,
          glossary,
          fields,
        };
      } catch {
        // Not JSON after all: keep looking.
      }
    }
  }
  return null;
}

// Enough words of product copy (the emulator's own product-copy.ts templates included) for each
// language to read as itself.
const DICTIONARY: Record<string, Record<string, string>> = {
  fr: {
    thoughtful: "attentionné",
    someone: "quelqu'un",
    who: "qui",
    loves: "aime",
    good: "bon",
    refreshing: "renouveler",
    the: "le",
    a: "un",
    an: "un",
    and: "et",
    or: "ou",
    of: "de",
    from: "de",
    for: "pour",
    with: "avec",
    in: "dans",
    on: "sur",
    at: "à",
    to: "à",
    by: "par",
    is: "est",
    are: "sont",
    it: "il",
    that: "qui",
    this: "ce",
    you: "vous",
    your: "votre",
    will: "allez",
    every: "chaque",
    day: "jour",
    after: "après",
    meet: "découvrez",
    warm: "chaleureux",
    take: "version",
    everyday: "quotidien",
    choose: "choisissez",
    options: "options",
    suits: "convient",
    anyone: "quiconque",
    looking: "cherche",
    something: "quelque",
    made: "fait",
    mind: "esprit",
    heart: "cœur",
    easy: "facile",
    reach: "attraper",
    stands: "garantit",
    behind: "derrière",
    makes: "fabrique",
    checked: "vérifié",
    before: "avant",
    ships: "expédition",
    available: "disponible",
    add: "ajoutez",
    cart: "panier",
    today: "aujourd'hui",
    shop: "achetez",
    order: "commandez",
    online: "en ligne",
    look: "allure",
    lasts: "dure",
    simple: "simple",
    care: "entretenir",
    design: "conception",
    carefully: "soigneusement",
    gift: "cadeau",
    use: "usage",
    home: "maison",
    out: "dehors",
    about: "partout",
    weekends: "week-ends",
    travel: "voyage",
    collection: "collection",
    best: "meilleur",
    buy: "acheter",
    hat: "chapeau",
    beanie: "bonnet",
    wool: "laine",
    soft: "doux",
    bag: "sac",
    candle: "bougie",
    shirt: "chemise",
    new: "nouveau",
    our: "notre",
    we: "nous",
    all: "tout",
    great: "superbe",
    light: "léger",
    color: "couleur",
    size: "taille",
    black: "noir",
    white: "blanc",
    red: "rouge",
    blue: "bleu",
    green: "vert",
    trail: "sentier",
    mug: "tasse",
    coffee: "café",
    long: "longues",
    mornings: "matinées",
    handmade: "fait main",
    quality: "qualité",
    classic: "classique",
  },
  de: {
    thoughtful: "durchdachtes",
    someone: "jemanden",
    who: "der",
    loves: "liebt",
    good: "guten",
    refreshing: "Auffrischen",
    the: "die",
    a: "ein",
    an: "ein",
    and: "und",
    or: "oder",
    of: "von",
    from: "von",
    for: "für",
    with: "mit",
    in: "in",
    on: "auf",
    at: "bei",
    to: "zu",
    by: "von",
    is: "ist",
    are: "sind",
    it: "es",
    that: "das",
    this: "dies",
    you: "Sie",
    your: "Ihr",
    will: "werden",
    every: "jeden",
    day: "Tag",
    after: "nach",
    meet: "entdecken",
    warm: "warme",
    take: "Variante",
    everyday: "alltägliche",
    choose: "wählen",
    options: "Optionen",
    suits: "passt",
    anyone: "jeden",
    looking: "sucht",
    something: "etwas",
    made: "gemacht",
    mind: "Sinn",
    heart: "Herzen",
    easy: "einfach",
    reach: "greifen",
    stands: "steht",
    behind: "hinter",
    makes: "herstellt",
    checked: "geprüft",
    before: "bevor",
    ships: "versendet",
    available: "erhältlich",
    add: "legen",
    cart: "Warenkorb",
    today: "heute",
    shop: "kaufen",
    order: "bestellen",
    online: "online",
    look: "Aussehen",
    lasts: "hält",
    simple: "einfach",
    care: "pflegen",
    design: "Design",
    carefully: "sorgfältig",
    gift: "Geschenk",
    use: "Gebrauch",
    home: "Hause",
    out: "unterwegs",
    about: "überall",
    weekends: "Wochenenden",
    travel: "Reisen",
    collection: "Sammlung",
    best: "beste",
    buy: "kaufen",
    hat: "Hut",
    beanie: "Mütze",
    wool: "Wolle",
    soft: "weich",
    bag: "Tasche",
    candle: "Kerze",
    shirt: "Hemd",
    new: "neu",
    our: "unser",
    we: "wir",
    all: "alle",
    great: "großartig",
    light: "leicht",
    color: "Farbe",
    size: "Größe",
    black: "schwarz",
    white: "weiß",
    red: "rot",
    blue: "blau",
    green: "grün",
    trail: "Pfad",
    mug: "Becher",
    coffee: "Kaffee",
    long: "lange",
    mornings: "Morgen",
    handmade: "handgemacht",
    quality: "Qualität",
    classic: "klassisch",
  },
  es: {
    thoughtful: "detallado",
    someone: "alguien",
    who: "que",
    loves: "ama",
    good: "buen",
    refreshing: "renovar",
    the: "el",
    a: "un",
    an: "un",
    and: "y",
    or: "o",
    of: "de",
    from: "de",
    for: "para",
    with: "con",
    in: "en",
    on: "en",
    at: "en",
    to: "a",
    by: "por",
    is: "es",
    are: "son",
    it: "lo",
    that: "que",
    this: "este",
    you: "usted",
    your: "su",
    will: "va",
    every: "cada",
    day: "día",
    after: "tras",
    meet: "conozca",
    warm: "cálida",
    take: "versión",
    everyday: "cotidiano",
    choose: "elija",
    options: "opciones",
    suits: "conviene",
    anyone: "cualquiera",
    looking: "busca",
    something: "algo",
    made: "hecho",
    mind: "mente",
    heart: "corazón",
    easy: "fácil",
    reach: "alcanzar",
    stands: "respalda",
    behind: "detrás",
    makes: "fabrica",
    checked: "revisado",
    before: "antes",
    ships: "envío",
    available: "disponible",
    add: "añada",
    cart: "carrito",
    today: "hoy",
    shop: "compre",
    order: "pida",
    online: "en línea",
    look: "aspecto",
    lasts: "dura",
    simple: "sencillo",
    care: "cuidar",
    design: "diseño",
    carefully: "cuidadosamente",
    gift: "regalo",
    use: "uso",
    home: "casa",
    out: "fuera",
    about: "todas partes",
    weekends: "fines de semana",
    travel: "viajes",
    collection: "colección",
    best: "mejor",
    buy: "comprar",
    hat: "sombrero",
    beanie: "gorro",
    wool: "lana",
    soft: "suave",
    bag: "bolso",
    candle: "vela",
    shirt: "camisa",
    new: "nuevo",
    our: "nuestro",
    we: "nosotros",
    all: "todo",
    great: "genial",
    light: "ligero",
    color: "color",
    size: "talla",
    black: "negro",
    white: "blanco",
    red: "rojo",
    blue: "azul",
    green: "verde",
    trail: "sendero",
    mug: "taza",
    coffee: "café",
    long: "largas",
    mornings: "mañanas",
    handmade: "hecho a mano",
    quality: "calidad",
    classic: "clásico",
  },
};

/** Tags, Liquid tokens and placeholders: kept exactly; the text between them is translated. */
const PROTECTED = /(<[^>]*>|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|⟦\d+⟧)/;

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function translateWords(text: string, words: Record<string, string>): string {
  return text.replace(/\p{L}[\p{L}'’-]*/gu, (word) => {
    const translated = words[word.toLowerCase()];
    if (!translated) return word;
    return word[0] === word[0]!.toUpperCase() && word[0] !== word[0]!.toLowerCase()
      ? translated.charAt(0).toUpperCase() + translated.slice(1)
      : translated;
  });
}

// The embeddings' lexicon reads this dictionary backwards (lexicon.ts).
learnDictionary(DICTIONARY);

/** One value in the target language: glossary terms first (kept from the dictionary), then words. */
export function translateValue(value: string, brief: TranslationBrief): string {
  const language = brief.targetLocale.toLowerCase().split("-")[0]!;
  // The support vocabulary (returns, shipping, payment…) fills in words the product dictionary lacks.
  const words = { ...vocabularyFor(language), ...(DICTIONARY[language] ?? {}) };
  const glossary = [...brief.glossary].sort((a, b) => b.source.length - a.source.length);
  return value
    .split(PROTECTED)
    .map((part, index) => {
      if (index % 2 === 1) return part;
      // Glossary targets are set aside as placeholders of their own so no word of them is translated again.
      const held: string[] = [];
      let text = part;
      for (const term of glossary) {
        const pattern = new RegExp(
          `(?<![\\p{L}\\p{N}])${escapeRegExp(term.source)}(?![\\p{L}\\p{N}])`,
          term.caseSensitive ? "gu" : "giu",
        );
        text = text.replace(pattern, () => `\uE000${held.push(term.target) - 1}\uE001`);
      }
      return translateWords(text, words).replace(/\uE000(\d+)\uE001/g, (_, i: string) => held[Number(i)]!);
    })
    .join("");
}

/** The value as a faulty model would write it. */
function faulty(value: string, source: string, fault: TranslationFault | undefined): string {
  switch (fault) {
    case "break-html": {
      // Drops the first closing tag: "<p>a</p><p>b</p>" -> "<p>a<p>b</p>".
      const close = /<\/[a-zA-Z][^>]*>/.exec(value);
      return close ? value.slice(0, close.index) + value.slice(close.index + close[0].length) : value;
    }
    case "drop-placeholder":
      return value.replace(/⟦\d+⟧/, "");
    case "wrong-language":
      return source;
    default:
      return value;
  }
}

/** The structured reply to a translation request: every field, translated. */
export function translationReply(brief: TranslationBrief, fault?: TranslationFault): { translations: Json[] } {
  return {
    translations: brief.fields.map((field) => ({
      key: field.key,
      value: faulty(translateValue(field.value, brief), field.value, fault),
    })),
  };
}
