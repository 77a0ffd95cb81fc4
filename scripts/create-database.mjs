// Creates the database named in DATABASE_URL when it does not exist (Prisma's driver adapter cannot).
import pg from "pg";

const url = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/storewise");
const name = decodeURIComponent(url.pathname.slice(1));
if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`refusing to create a database named ${JSON.stringify(name)}`);
const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
try {
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
} finally {
  await client.end();
}
