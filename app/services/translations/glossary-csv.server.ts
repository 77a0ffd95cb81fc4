import { glossaryToCsv, parseGlossaryCsv, type GlossaryCsvError } from "~/services/translations/glossary-csv";
import { replaceGlossary } from "~/services/translations/update-translation-settings.server";
import type { Db } from "~/services/types";

/** The shop's glossary as a CSV download: every locale, sorted, named after the shop. */
export async function exportGlossaryCsv({ db, shop }: { db: Db; shop: string }) {
  const terms = await db.glossaryTerm.findMany({
    where: { shopDomain: shop },
    orderBy: [{ locale: "asc" }, { source: "asc" }],
    select: { locale: true, source: true, target: true, caseSensitive: true },
  });
  const handle = shop.replace(/\.myshopify\.com$/, "").replace(/[^a-z0-9-]/gi, "-");
  return { filename: `storewise-glossary-${handle}.csv`, csv: glossaryToCsv(terms), count: terms.length };
}

/** The largest glossary file accepted (5,000 terms of 200-character fields fit well within it). */
export const MAX_GLOSSARY_CSV_BYTES = 2_000_000;

/**
 * Imports a glossary CSV: its terms replace the stored ones with the same locale and source and
 * are added to the rest. A file with any bad row imports nothing and answers every row's error.
 */
export async function importGlossaryCsv({
  db,
  shop,
  text,
}: {
  db: Db;
  shop: string;
  text: string;
}): Promise<{ ok: true; imported: number } | { ok: false; errors: GlossaryCsvError[] }> {
  if (text.length > MAX_GLOSSARY_CSV_BYTES) {
    return { ok: false, errors: [{ row: 0, message: "The file is larger than 2 MB; split it into smaller files" }] };
  }
  const { terms, errors } = parseGlossaryCsv(text);
  if (errors.length > 0) return { ok: false, errors };
  if (terms.length === 0)
    return { ok: false, errors: [{ row: 0, message: "The file has no terms below its header row" }] };
  const stored = await db.glossaryTerm.findMany({
    where: { shopDomain: shop },
    select: { locale: true, source: true, target: true, caseSensitive: true },
  });
  const incoming = new Set(terms.map((term) => `${term.locale}\u0000${term.source}`));
  const merged = [...stored.filter((term) => !incoming.has(`${term.locale}\u0000${term.source}`)), ...terms];
  const saved = await replaceGlossary({ db, shop, input: merged });
  if (!saved.ok) {
    return { ok: false, errors: Object.values(saved.errors).map((message) => ({ row: 0, message })) };
  }
  return { ok: true, imported: terms.length };
}
