// Moves every stored session to the newest key of TOKEN_ENCRYPTION_KEYS: plaintext rows from
// before encryption and rows sealed under an older key are re-sealed (decision 010). Safe to run
// while the app serves traffic, and to run again. Prints a JSON report (row ids only, never tokens);
// exits 1 when some row could not be opened with any configured key.
//
//     npm run tokens:reencrypt
import { env, tokenEncryptionKeys } from "~/config/env.server";
import { prisma } from "~/db.server";
import { reencryptSessionTokens } from "~/integrations/shopify/session-encryption.server";
import { TokenCipher } from "~/lib/token-cipher.server";

const cipher = new TokenCipher(tokenEncryptionKeys(env()));
try {
  const report = await reencryptSessionTokens({ db: prisma, cipher });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (report.failed.length > 0) process.exitCode = 1;
} finally {
  await prisma.$disconnect();
}
