// Set-up steps shared by `npm start`, `npm test` and `npm run bench`. Plain Node
// (no dependencies): this code runs before node_modules exists.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { freshBundle } from "../build-cli.mjs";

export const root = path.resolve(import.meta.dirname, "..", "..");
const installStamp = path.join(root, "node_modules", ".keelwatch-install-stamp");
const buildStamp = path.join(root, ".next", "keelwatch-build-stamp");
const generatedDir = path.join(root, "lib", "generated", "prisma");
const generatedStamp = path.join(generatedDir, ".keelwatch-schema-stamp");

export function log(message) {
  process.stdout.write(`\x1b[36m[keelwatch]\x1b[0m ${message}\n`);
}

/** Runs a command with inherited output; exits the process with a clear message if it fails. */
export function mustRun(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.status !== 0) {
    const how = result.error ? result.error.message : `exit code ${result.status ?? result.signal}`;
    process.stderr.write(`[keelwatch] \`${command} ${args.join(" ")}\` failed (${how})\n`);
    process.exit(result.status || 1);
  }
}

function hashFiles(files) {
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(path.relative(root, file));
    hash.update("\0");
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : "");
    hash.update("\0");
  }
  return hash.digest("hex");
}

function schemaHash() {
  return hashFiles([
    path.join(root, "prisma", "schema.prisma"),
    path.join(root, "prisma", "postgresql", "schema.prisma"),
    path.join(root, "package-lock.json"),
  ]);
}

/** Called by scripts/prisma-generate.mjs once the client is generated: which schema it was generated from. */
export function recordGeneratedSchema() {
  fs.writeFileSync(generatedStamp, `${schemaHash()}\n`);
}

function readStamp(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
}

/**
 * `npm install` when node_modules is missing or was installed from another
 * package.json / lockfile. `npm ci` is not used: this registry lacks other
 * platforms' optional binaries, which makes `npm ci` reject the lockfile.
 */
export function ensureInstalled() {
  const wanted = hashFiles([path.join(root, "package.json"), path.join(root, "package-lock.json")]);
  if (readStamp(installStamp) !== wanted || !fs.existsSync(path.join(root, "node_modules", ".bin", "next"))) {
    log("installing npm dependencies (the first time takes a few minutes: better-sqlite3 compiles from source)");
    mustRun("npm", ["install", "--no-audit", "--no-fund"]);
    fs.writeFileSync(installStamp, `${wanted}\n`);
  }
  // Generated again whenever the schema (or Prisma's version) changed, not only when missing:
  // a client generated from an older schema fails at run time, not at start.
  if (
    readStamp(generatedStamp) !== schemaHash() ||
    !fs.existsSync(path.join(generatedDir, "client.ts")) ||
    !fs.existsSync(path.join(`${generatedDir}-pg`, "client.ts"))
  ) {
    log("generating the Prisma clients");
    mustRun("node", ["scripts/prisma-generate.mjs"]);
  }
  // bin/keelwatch would build its bundle on first use; building it here keeps that first run quick.
  if (freshBundle() === null) {
    log("building the command line (.cache/cli)");
    mustRun("node", ["scripts/build-cli.mjs"]);
  }
}

export const CHROMIUM = process.env.KEELWATCH_CHROMIUM ?? "/usr/bin/chromium";

/** Playwright cannot download its browsers here, so the tests use Debian's chromium. */
export function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    process.stderr.write(
      `[keelwatch] Chromium is needed for the end-to-end tests and was not found at ${CHROMIUM}.\n` +
        "Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set KEELWATCH_CHROMIUM to its path.\n",
    );
    process.exit(1);
  }
  log("installing Chromium from Debian's packages for the end-to-end tests");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  mustRun("apt-get", ["update", "-q"], { env });
  mustRun("apt-get", ["install", "-y", "-q", "--no-install-recommends", "chromium"], { env });
}

const BUILD_INPUTS = ["app", "components", "lib", "public", "prisma"];
const BUILD_FILES = [
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "instrumentation.ts",
  "package.json",
  "package-lock.json",
];

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full.endsWith(path.join("lib", "generated")) ? [] : listFiles(full);
    return entry.name.endsWith(".test.ts") ? [] : [full];
  });
}

/** `next build` unless the last build was made from exactly these sources. */
export function buildIfNeeded() {
  const inputs = [
    ...BUILD_INPUTS.flatMap((dir) => listFiles(path.join(root, dir))),
    ...BUILD_FILES.map((file) => path.join(root, file)),
  ].sort();
  const wanted = hashFiles(inputs);
  if (readStamp(buildStamp) === wanted && fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    log("build is up to date");
    return;
  }
  log("building the app (next build)");
  mustRun(path.join(root, "node_modules", ".bin", "next"), ["build"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  fs.writeFileSync(buildStamp, `${wanted}\n`);
}
