import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decryptSecrets, encryptSecrets, keyFilePath, loadSecretKey, SecretKeyMismatchError } from "./secret-box";

const dirs: string[] = [];
function envWithDatabaseIn(): NodeJS.ProcessEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-secret-"));
  dirs.push(dir);
  return { NODE_ENV: "test", DATABASE_URL: `file:${path.join(dir, "data", "keelwatch.db")}` };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the secret box", () => {
  it("creates a key file beside the database once, readable by its owner only, and reuses it", () => {
    const env = envWithDatabaseIn();
    const key = loadSecretKey(env);
    const file = keyFilePath(env);
    expect(path.dirname(file)).toBe(path.dirname(env.DATABASE_URL?.slice("file:".length) ?? ""));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey(env).equals(key)).toBe(true);
  });

  it("uses KEELWATCH_SECRET_KEY when set, without writing a file", () => {
    const env = { ...envWithDatabaseIn(), KEELWATCH_SECRET_KEY: "correct horse battery staple" };
    expect(loadSecretKey(env)).toHaveLength(32);
    expect(fs.existsSync(keyFilePath(env))).toBe(false);
  });

  it("on PostgreSQL takes KEELWATCH_SECRET_KEY only: instances must share the key, which no local file gives", () => {
    const env: NodeJS.ProcessEnv = { NODE_ENV: "test", DATABASE_URL: "postgresql://kw@db.internal/keelwatch" };
    expect(() => loadSecretKey(env)).toThrow(/KEELWATCH_SECRET_KEY must be set when DATABASE_URL is a PostgreSQL URL/);
    const key = loadSecretKey({ ...env, KEELWATCH_SECRET_KEY: "shared by every instance" });
    expect(key).toEqual(loadSecretKey({ ...envWithDatabaseIn(), KEELWATCH_SECRET_KEY: "shared by every instance" }));
  });

  it("round-trips secrets, hides them, and refuses another key or a tampered value", () => {
    const key = loadSecretKey({ NODE_ENV: "test", KEELWATCH_SECRET_KEY: "one" });
    const sealed = encryptSecrets({ url: "https://hooks.example.com/secret-token" }, key);
    expect(sealed).not.toContain("secret-token");
    expect(encryptSecrets({ url: "x" }, key)).not.toBe(encryptSecrets({ url: "x" }, key));
    expect(decryptSecrets(sealed, key)).toEqual({ url: "https://hooks.example.com/secret-token" });
    expect(() => decryptSecrets(sealed, loadSecretKey({ NODE_ENV: "test", KEELWATCH_SECRET_KEY: "two" }))).toThrow(
      SecretKeyMismatchError,
    );
    const parts = sealed.split(":");
    parts[3] = `A${parts[3]?.slice(1)}`;
    expect(() => decryptSecrets(parts.join(":"), key)).toThrow(SecretKeyMismatchError);
  });

  it("refuses a damaged key file instead of making a new key", () => {
    const env = envWithDatabaseIn();
    fs.mkdirSync(path.dirname(keyFilePath(env)), { recursive: true });
    fs.writeFileSync(keyFilePath(env), "not a key\n");
    expect(() => loadSecretKey(env)).toThrow(/32-byte base64 key/);
  });
});
