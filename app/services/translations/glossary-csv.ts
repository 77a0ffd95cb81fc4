import { GlossaryTermInput } from "~/services/translations/update-translation-settings.server";

/**
 * The glossary as a CSV file (RFC 4180): a header `locale,source,target,case_sensitive`, one term
 * a row. Fields with commas, quotes or line breaks are quoted, quotes doubled. Spreadsheet apps
 * add a byte-order mark and CRLF line ends; both are accepted.
 */
export const GLOSSARY_CSV_HEADER = ["locale", "source", "target", "case_sensitive"] as const;

export interface GlossaryCsvTerm {
  locale: string;
  source: string;
  target: string;
  caseSensitive: boolean;
}

export interface GlossaryCsvError {
  /** The row's line in the file as a spreadsheet numbers it (the header is row 1). */
  row: number;
  message: string;
}

/** Splits CSV text into rows of fields; null when a quote is never closed. */
export function parseCsvRows(text: string): string[][] | { unclosedQuoteAtRow: number } {
  const input = text.replace(/^\uFEFF/, "");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let rowStart = 1;
  let line = 1;
  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    if (quoted) {
      if (char === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (char === "\n") line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && input[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      line++;
      rowStart = line;
    } else field += char;
  }
  if (quoted) return { unclosedQuoteAtRow: rowStart };
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const TRUE = new Set(["true", "yes", "1", "y"]);
const FALSE = new Set(["false", "no", "0", "n", ""]);

/**
 * Reads a glossary CSV. Every row is checked; any bad row means `errors` lists each with its row
 * number and reason, so the merchant fixes the file and imports it again (nothing is half-imported).
 */
export function parseGlossaryCsv(text: string): { terms: GlossaryCsvTerm[]; errors: GlossaryCsvError[] } {
  const parsed = parseCsvRows(text);
  if (!Array.isArray(parsed)) {
    return {
      terms: [],
      errors: [{ row: parsed.unclosedQuoteAtRow, message: 'A quoted field is never closed (a missing ")' }],
    };
  }
  const [header, ...rows] = parsed;
  const columns = (header ?? []).map((name) => name.trim().toLowerCase());
  const missing = GLOSSARY_CSV_HEADER.slice(0, 3).filter((name) => !columns.includes(name));
  if (!header || missing.length > 0) {
    return {
      terms: [],
      errors: [{ row: 1, message: `The first row must name the columns: ${GLOSSARY_CSV_HEADER.join(",")}` }],
    };
  }
  const at = (row: string[], name: string) => {
    const index = columns.indexOf(name);
    const value = index < 0 ? "" : (row[index] ?? "");
    // The export's guard against spreadsheet formulas (csvField) is undone here.
    return /^'[=+@]/.test(value) ? value.slice(1) : value;
  };
  const terms: GlossaryCsvTerm[] = [];
  const errors: GlossaryCsvError[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const rowNumber = index + 2;
    if (row.every((field) => field.trim() === "")) return;
    if (row.length > columns.length) {
      errors.push({
        row: rowNumber,
        message: `Has ${row.length} fields, the header names ${columns.length}; quote a field with a comma`,
      });
      return;
    }
    const flag = at(row, "case_sensitive").trim().toLowerCase();
    if (!TRUE.has(flag) && !FALSE.has(flag)) {
      errors.push({ row: rowNumber, message: `case_sensitive must be true or false, not "${flag}"` });
      return;
    }
    const term = GlossaryTermInput.safeParse({
      locale: at(row, "locale"),
      source: at(row, "source"),
      target: at(row, "target"),
      caseSensitive: TRUE.has(flag),
    });
    if (!term.success) {
      const issue = term.error.issues[0]!;
      errors.push({ row: rowNumber, message: `${String(issue.path[0])}: ${issue.message}` });
      return;
    }
    const key = `${term.data.locale}\u0000${term.data.source}`;
    const earlier = seen.get(key);
    if (earlier) {
      errors.push({
        row: rowNumber,
        message: `"${term.data.source}" for ${term.data.locale} is already on row ${earlier}`,
      });
      return;
    }
    seen.set(key, rowNumber);
    terms.push(term.data);
  });
  return { terms, errors };
}

function csvField(value: string): string {
  // A leading =, + or @ would run as a formula in a spreadsheet: prefix a quote mark (removed on import).
  const safe = /^[=+@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The glossary as CSV text with a BOM (so spreadsheet apps read UTF-8) and CRLF line ends. */
export function glossaryToCsv(terms: GlossaryCsvTerm[]): string {
  const lines = [GLOSSARY_CSV_HEADER.join(",")];
  for (const term of terms) {
    lines.push([term.locale, term.source, term.target, term.caseSensitive ? "true" : "false"].map(csvField).join(","));
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
