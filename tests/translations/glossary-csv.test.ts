// The glossary CSV as merchants' spreadsheets write it (RFC 4180 quoting, Excel's BOM and CRLF),
// and the import/export through the real database: a bad row imports nothing and names the row.
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { glossaryToCsv, parseGlossaryCsv } from "~/services/translations/glossary-csv";
import { exportGlossaryCsv, importGlossaryCsv } from "~/services/translations/glossary-csv.server";

async function newShop() {
  const shop = `gl-${randomUUID().slice(0, 8)}.myshopify.com`;
  await prisma.shop.create({ data: { domain: shop } });
  return shop;
}

describe("parsing a glossary CSV", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, a BOM and CRLF line ends", () => {
    const csv =
      "\uFEFFlocale,source,target,case_sensitive\r\n" +
      'fr,"hat, wool","bonnet, laine",true\r\n' +
      'de,"the ""Alpine"" line",die „Alpin“-Linie,FALSE\r\n' +
      'fr,"care\nguide",guide d\'entretien,\r\n' +
      "\r\n";
    const { terms, errors } = parseGlossaryCsv(csv);
    expect(errors).toEqual([]);
    expect(terms).toEqual([
      { locale: "fr", source: "hat, wool", target: "bonnet, laine", caseSensitive: true },
      { locale: "de", source: 'the "Alpine" line', target: "die „Alpin“-Linie", caseSensitive: false },
      { locale: "fr", source: "care\nguide", target: "guide d'entretien", caseSensitive: false },
    ]);
  });

  it("names each bad row with its reason", () => {
    const csv = [
      "locale,source,target,case_sensitive",
      "fr,beanie,bonnet,true",
      "french,beanie,bonnet,true",
      "de,,Mütze,false",
      "de,beanie,Mütze,maybe",
      "fr,scarf,écharpe,false,extra",
      "fr,beanie,tuque,false",
    ].join("\n");
    const { errors } = parseGlossaryCsv(csv);
    expect(errors).toEqual([
      { row: 3, message: "locale: Use a language code such as fr, de or pt-BR" },
      { row: 4, message: "source: Enter the term to translate" },
      { row: 5, message: 'case_sensitive must be true or false, not "maybe"' },
      { row: 6, message: "Has 5 fields, the header names 4; quote a field with a comma" },
      { row: 7, message: '"beanie" for fr is already on row 2' },
    ]);
  });

  it("refuses a file without the header or with a quote never closed", () => {
    expect(parseGlossaryCsv("fr,beanie,bonnet\n").errors[0]).toMatchObject({ row: 1 });
    expect(parseGlossaryCsv('locale,source,target\nfr,"beanie,bonnet\n').errors).toEqual([
      { row: 2, message: 'A quoted field is never closed (a missing ")' },
    ]);
  });

  it("round-trips every term through export, and guards cells a spreadsheet would run as a formula", () => {
    const terms = [
      { locale: "fr", source: 'say "hi", then', target: "dis «salut»,\nalors", caseSensitive: true },
      { locale: "de", source: "=SUM(A1)", target: "@Mütze", caseSensitive: false },
    ];
    const csv = glossaryToCsv(terms);
    expect(csv.startsWith("\uFEFFlocale,source,target,case_sensitive\r\n")).toBe(true);
    expect(csv).toContain(`"'=SUM(A1)","'@Mütze"`);
    expect(parseGlossaryCsv(csv)).toEqual({ terms, errors: [] });
  });
});

describe("importing and exporting the shop's glossary", () => {
  it("merges an import into the stored glossary and exports it as CSV", async () => {
    const shop = await newShop();
    await prisma.glossaryTerm.createMany({
      data: [
        { shopDomain: shop, locale: "fr", source: "beanie", target: "tuque", caseSensitive: false },
        { shopDomain: shop, locale: "de", source: "scarf", target: "Schal", caseSensitive: false },
      ],
    });
    const imported = await importGlossaryCsv({
      db: prisma,
      shop,
      text: "locale,source,target,case_sensitive\nfr,beanie,bonnet,true\nfr,Merino Line,ligne Merino,false\n",
    });
    expect(imported).toEqual({ ok: true, imported: 2 });
    const { csv, filename } = await exportGlossaryCsv({ db: prisma, shop });
    expect(filename).toBe(`storewise-glossary-${shop.replace(".myshopify.com", "")}.csv`);
    expect(csv).toBe(
      "\uFEFFlocale,source,target,case_sensitive\r\nde,scarf,Schal,false\r\nfr,Merino Line,ligne Merino,false\r\nfr,beanie,bonnet,true\r\n",
    );
  });

  it("imports nothing from a file with a bad row", async () => {
    const shop = await newShop();
    await prisma.glossaryTerm.create({
      data: { shopDomain: shop, locale: "fr", source: "beanie", target: "tuque", caseSensitive: false },
    });
    const result = await importGlossaryCsv({
      db: prisma,
      shop,
      text: "locale,source,target,case_sensitive\nfr,beanie,bonnet,true\nfr,scarf,,false\n",
    });
    expect(result).toEqual({ ok: false, errors: [{ row: 3, message: "target: Enter its translation" }] });
    const stored = await prisma.glossaryTerm.findMany({ where: { shopDomain: shop } });
    expect(stored.map((term) => term.target)).toEqual(["tuque"]);
  });
});
