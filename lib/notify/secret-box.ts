import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databaseFile, databaseUrl } from "../db/config";
import { dialectName } from "../db/dialect/name";

/**
 * Channel secrets (webhook URLs with their tokens, HMAC secrets, SMTP passwords,
 * header values) are stored encrypted with AES-256-GCM, so a copy of the
 * database alone does not leak them. The key is KEELWATCH_SECRET_KEY (any
 * string: it is hashed to 32 bytes) or, when that is unset, a random key
 * written once to `secret.key` beside the database, readable by its owner only.
 */

const VERSION = "v1";
export const KEY_FILE_NAME = "secret.key";

export function keyFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const url = databaseUrl(env);
  if (dialectName(url) === "postgresql") {
    // Instances sharing a PostgreSQL database must encrypt with one key: a file beside one of them cannot give that.
    throw new Error(
      "KEELWATCH_SECRET_KEY must be set when DATABASE_URL is a PostgreSQL URL: every instance encrypts notification channel secrets with it",
    );
  }
  return path.join(path.dirname(databaseFile(url)), KEY_FILE_NAME);
}

/** The 32-byte key: from the environment, else from (or newly into) the key file. */
export function loadSecretKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.KEELWATCH_SECRET_KEY?.trim();
  if (fromEnv) return createHash("sha256").update(fromEnv).digest();
  const file = keyFilePath(env);
  try {
    return decodeKeyFile(fs.readFileSync(/*turbopackIgnore: true*/ file, "utf8"), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  try {
    // wx: two processes starting at once must not each write a different key; the loser reads the winner's.
    fs.writeFileSync(/*turbopackIgnore: true*/ file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return decodeKeyFile(fs.readFileSync(/*turbopackIgnore: true*/ file, "utf8"), file);
  }
}

function decodeKeyFile(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key; restore it or remove it`);
  return key;
}

export function encryptSecrets(value: Record<string, unknown>, key: Buffer = loadSecretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(":");
}

export class SecretKeyMismatchError extends Error {
  constructor() {
    super(
      "the channel's secrets cannot be decrypted with this key (KEELWATCH_SECRET_KEY or data/secret.key changed); " +
        "enter the channel's secrets again",
    );
  }
}

export function decryptSecrets(sealed: string, key: Buffer = loadSecretKey()): Record<string, unknown> {
  const [version, iv, tag, body] = sealed.split(":");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("unknown secret format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new SecretKeyMismatchError();
  }
}
