// Prisma CLI configuration. The CLI normally downloads a Rust schema engine; this project
// runs it offline with the bundled wasm engine over the pg driver adapter instead
// (docs/decisions/002-prisma-offline.md). The two patches below fix bugs of
// @prisma/adapter-pg@6.19.3 that only the CLI's catalogue queries hit.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import Result from "pg/lib/result.js";
import { defineConfig } from "prisma/config";

const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/storewise";
process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
const databaseUrl = process.env.DATABASE_URL;

// Bug 1: the adapter cannot deserialise the catalogue types `name` (oid 19) and `"char"` (oid 18).
const TEXT_OID = 25;
const CATALOGUE_TEXT_OIDS = new Set([18, 19]);
const originalAddFields = Result.prototype.addFields;
Result.prototype.addFields = function addFields(fields: Array<{ dataTypeID: number }>) {
  for (const field of fields) {
    if (CATALOGUE_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return originalAddFields.call(this, fields);
};

// Bug 2: the shadow pool inherits `connectionString` (so it reaches the main database) and is
// closed only after DROP DATABASE (which then fails because it is still connected).
class OfflinePrismaPg extends PrismaPg {
  override async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll("-", "")}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const url = new URL(databaseUrl);
    const pool = new pg.Pool({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username || "postgres"),
      password: url.password ? decodeURIComponent(url.password) : undefined,
      database,
    });
    const shadow = await new PrismaPg(pool).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await pool.end().catch(() => undefined);
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await main.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new OfflinePrismaPg({ connectionString: databaseUrl }),
});
