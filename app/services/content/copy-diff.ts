import { diffArrays, diffWords } from "diff";

import { plainTextOf } from "~/services/content/copy/sanitize";
import type { ProductCopy } from "~/services/ports/catalog";

/** A run of text that both versions share, or that only one of them has. */
export interface DiffPart {
  text: string;
  change: "same" | "added" | "removed";
}

/** One field of a version against the live one; `parts` is empty when the field is unchanged. */
export interface FieldDiff {
  field: string;
  label: string;
  parts: DiffPart[];
}

/** The text fields of a version, as they are compared: the published copy without its marker. */
export type ComparableCopy = Omit<ProductCopy, "versionMarker">;

const changeOf = (part: { added: boolean; removed: boolean }): DiffPart["change"] =>
  part.added ? "added" : part.removed ? "removed" : "same";

/**
 * A description as the merchant reads it: one line per paragraph, heading or list entry (list
 * entries marked with a bullet), so a diff keeps the blocks apart.
 */
function blockTextOf(html: string): string {
  return html
    .replace(/<li[^>]*>/gi, "<li>• ")
    .split(/<\/(?:p|li|h2|h3|ul|ol)>|<br\s*\/?>/i)
    .map(plainTextOf)
    .filter(Boolean)
    .join("\n");
}

/** Word by word: prose reads best with the changed words marked in place. */
function wordDiff(live: string, version: string): DiffPart[] {
  if (live === version) return [];
  return diffWords(live, version).map((part) => ({ text: part.value, change: changeOf(part) }));
}

/** Item by item: a list's entries are added or removed whole, one per line. */
function listDiff(live: string[], version: string[]): DiffPart[] {
  if (live.length === version.length && live.every((item, index) => item === version[index])) return [];
  return diffArrays(live, version).flatMap((part) =>
    part.value.map((item) => ({ text: item, change: changeOf(part) })),
  );
}

/**
 * What a version changes against the live copy, field by field: removed text is the live copy's,
 * added text this version's. The description is compared as its text (markup changes alone
 * are not what the merchant reads), a line per block.
 */
export function diffAgainstLive(live: ComparableCopy, version: ComparableCopy): FieldDiff[] {
  return [
    {
      field: "description",
      label: "Description",
      parts: wordDiff(blockTextOf(live.descriptionHtml), blockTextOf(version.descriptionHtml)),
    },
    {
      field: "shortDescription",
      label: "Short description",
      parts: wordDiff(live.shortDescription, version.shortDescription),
    },
    { field: "features", label: "Features", parts: listDiff(live.features, version.features) },
    { field: "useCases", label: "Use cases", parts: listDiff(live.useCases, version.useCases) },
    { field: "keywords", label: "Keywords", parts: listDiff(live.keywords, version.keywords) },
    { field: "metaTitle", label: "SEO title", parts: wordDiff(live.metaTitle, version.metaTitle) },
    {
      field: "metaDescription",
      label: "SEO description",
      parts: wordDiff(live.metaDescription, version.metaDescription),
    },
  ];
}
