import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Envelope encryption for secrets at rest (decision 010). Each value gets its own random 256-bit
 * data key; the value is sealed with AES-256-GCM under that data key, and the data key is sealed
 * with AES-256-GCM under a key-encryption key (KEK) from the environment. The stored text names
 * the KEK by id, so KEKs can rotate: the first configured KEK seals new values, every configured
 * KEK opens old ones.
 *
 *     enc:v1:<kek id>:<sealed data key>:<sealed value>     (each sealed part: base64url iv|ciphertext|tag)
 *
 * The caller's `context` (for example "<row id>:<column>") is bound to the value as GCM
 * additional data, so a sealed value copied into another row or column does not open.
 */

const PREFIX = "enc:v1:";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface KeyEncryptionKey {
  id: string;
  key: Buffer;
}

export class TokenKeyError extends Error {
  override name = "TokenKeyError";
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `id:base64key[,id:base64key...]`, newest first. Throws a TokenKeyError naming what is
 * wrong (never the key itself).
 */
export function parseKeyEncryptionKeys(spec: string): KeyEncryptionKey[] {
  const entries = spec
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new TokenKeyError("must list at least one key as <id>:<base64 of 32 bytes>");
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(":");
    const id = colon > 0 ? entry.slice(0, colon) : "";
    if (!KEY_ID.test(id)) {
      throw new TokenKeyError(`key ${index + 1} must be <id>:<base64 of 32 bytes>, the id 1-32 of A-Z a-z 0-9 _ -`);
    }
    if (seen.has(id)) throw new TokenKeyError(`key id "${id}" is listed twice`);
    seen.add(id);
    const material = entry.slice(colon + 1);
    const key = Buffer.from(material, "base64");
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(material) || key.length !== KEY_BYTES) {
      throw new TokenKeyError(`key "${id}" must be exactly 32 bytes, base64-encoded (openssl rand -base64 32)`);
    }
    return { id, key };
  });
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
}

function open(key: Buffer, sealed: string, aad: Buffer): Buffer {
  const raw = Buffer.from(sealed, "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new TokenKeyError("sealed value is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
}

export class TokenCipher {
  private readonly byId: Map<string, Buffer>;
  private readonly current: KeyEncryptionKey;

  /** `keys` newest first: the first seals, all open. */
  constructor(keys: KeyEncryptionKey[]) {
    if (keys.length === 0) throw new TokenKeyError("at least one key-encryption key is needed");
    this.current = keys[0]!;
    this.byId = new Map(keys.map((entry) => [entry.id, entry.key]));
  }

  /** Whether a stored value is sealed at all (anything else is a plaintext value from before). */
  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** Whether a stored value is sealed under the newest key (so re-encryption can skip it). */
  isCurrent(value: string): boolean {
    return value.startsWith(`${PREFIX}${this.current.id}:`);
  }

  encrypt(plaintext: string, context: string): string {
    const dataKey = randomBytes(KEY_BYTES);
    const aad = Buffer.from(context, "utf8");
    const wrapped = seal(this.current.key, dataKey, Buffer.from(`${this.current.id}|${context}`, "utf8"));
    const body = seal(dataKey, Buffer.from(plaintext, "utf8"), aad);
    dataKey.fill(0);
    return `${PREFIX}${this.current.id}:${wrapped}:${body}`;
  }

  /** Opens a sealed value; throws a TokenKeyError for an unknown key id or a value that fails authentication. */
  decrypt(value: string, context: string): string {
    if (!TokenCipher.isSealed(value)) throw new TokenKeyError("value is not sealed");
    const [id, wrapped, body] = value.slice(PREFIX.length).split(":");
    const kek = id === undefined ? undefined : this.byId.get(id);
    if (!kek || !wrapped || !body) {
      throw new TokenKeyError(`value is sealed with key "${id ?? ""}", which TOKEN_ENCRYPTION_KEYS does not list`);
    }
    try {
      const dataKey = open(kek, wrapped, Buffer.from(`${id}|${context}`, "utf8"));
      const plaintext = open(dataKey, body, Buffer.from(context, "utf8")).toString("utf8");
      dataKey.fill(0);
      return plaintext;
    } catch (error) {
      if (error instanceof TokenKeyError) throw error;
      throw new TokenKeyError(`value sealed with key "${id}" does not authenticate for ${context}`);
    }
  }
}
