// Builds the `keelwatch` command line into .cache/cli/ (git-ignored) with esbuild, so that
// bin/keelwatch starts plain JavaScript instead of compiling TypeScript through tsx at every
// start. bin/keelwatch.mjs calls cliBundle() on each run: it only stats the files the last build
// read, and rebuilds when one of them changed. `node scripts/build-cli.mjs` builds at once.
//
// Only the project's own sources are bundled: packages stay in node_modules and are imported at
// run time (better-sqlite3 is native, Prisma loads engine files beside its package), and the
// bundle is split per command, so `keelwatch --help` loads no command at all.
import fs from "node:fs";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
export const CLI_DIR = path.join(root, ".cache", "cli");
const MANIFEST = path.join(CLI_DIR, "manifest.json");
const ENTRY = path.join(root, "bin", "keelwatch.ts");
/** Files whose change means a different build even though the bundle does not read them. */
const ALSO_WATCHED = ["package-lock.json", "tsconfig.json", "scripts/build-cli.mjs"];
const MANIFEST_VERSION = 1;

/**
 * Sources address their own folder (`import.meta.dirname`, `import.meta.url`) to find files
 * beside them: the built-in rule pack, fixtures. In the bundle that would be .cache/cli/, so
 * each source gets its own location written in at build time.
 */
const sourceLocationPlugin = {
  name: "keelwatch-source-location",
  setup(build) {
    build.onLoad({ filter: /\.(c|m)?[jt]sx?$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await fs.promises.readFile(args.path, "utf8");
      const extension = path.extname(args.path).slice(1);
      const loader = extension.startsWith("t") || extension.endsWith("ts") ? "ts" : "js";
      if (!text.includes("import.meta")) return { contents: text, loader };
      const contents = text
        .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path)))
        .replaceAll("import.meta.filename", JSON.stringify(args.path))
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader };
    });
  },
};

/**
 * Packages stay in node_modules, imported by the bundle at run time. Node's ESM loader only
 * finds a package's inner file by its exact name when the package has no "exports" map
 * (`next/server` is `next/server.js`): such imports are written out as the file's path.
 */
const externalPackagesPlugin = {
  name: "keelwatch-external-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:") || builtinModules.includes(args.path.split("/")[0])) return undefined;
      if (args.path.startsWith("@/")) return undefined; // the project's own "@/…" alias, bundled
      const parts = args.path.split("/");
      const name = args.path.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? "");
      const subpath = args.path.slice(name.length);
      if (subpath === "" || path.extname(subpath) !== "") return { path: args.path, external: true };
      const require = createRequire(path.join(args.resolveDir || root, "noop.js"));
      let manifest;
      try {
        manifest = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8"));
      } catch {
        return { path: args.path, external: true }; // no readable package.json: leave it to node
      }
      if (manifest.exports !== undefined) return { path: args.path, external: true };
      return { path: require.resolve(args.path), external: true };
    });
  },
};

function readManifest() {
  try {
    const manifest = JSON.parse(fs.readFileSync(MANIFEST, "utf8"));
    return manifest.version === MANIFEST_VERSION && manifest.root === root ? manifest : null;
  } catch {
    return null;
  }
}

/** Whole milliseconds: finer digits do not survive every copy or `touch -d`, and a change is never that small. */
function mtimeOf(file) {
  try {
    return Math.trunc(fs.statSync(path.join(root, file)).mtimeMs);
  } catch {
    return -1;
  }
}

/** The first input of a build whose modification time is not the one it was built from, or null. */
export function staleInput(manifest, mtime = mtimeOf) {
  for (const [file, builtFrom] of Object.entries(manifest.inputs)) {
    if (mtime(file) !== builtFrom) return file;
  }
  return null;
}

/** The bundle's entry file when the last build is still right for the sources, else null. */
export function freshBundle() {
  const manifest = readManifest();
  if (manifest === null || staleInput(manifest) !== null) return null;
  const entry = path.join(CLI_DIR, manifest.entry);
  return fs.existsSync(entry) ? entry : null;
}

/** Builds older than this are removed by the next build; a run that started on one has long finished. */
const RETIRED_BUILD_AGE_MS = 10 * 60_000;

function removeOldBuilds(current) {
  for (const name of fs.readdirSync(CLI_DIR)) {
    const dir = path.join(CLI_DIR, name);
    if (!name.startsWith("build-") || dir === current) continue;
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > RETIRED_BUILD_AGE_MS)
        fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // another build removed it first
    }
  }
}

/**
 * Builds into a folder of its own, then points the manifest at it (a rename, so atomic): a run
 * that started on the previous build keeps finding its chunks, and two builds racing each
 * other both leave a whole bundle behind. Returns the entry file.
 */
export async function buildCli() {
  const { build } = await import("esbuild");
  fs.mkdirSync(CLI_DIR, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(CLI_DIR, "build-"));
  try {
    const result = await build({
      entryPoints: { keelwatch: ENTRY },
      outdir,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outExtension: { ".js": ".mjs" },
      chunkNames: "chunks/[name]-[hash]",
      metafile: true,
      sourcemap: "linked",
      logLevel: "error",
      tsconfig: path.join(root, "tsconfig.json"),
      plugins: [externalPackagesPlugin, sourceLocationPlugin],
    });
    const inputs = {};
    for (const file of [...Object.keys(result.metafile.inputs), ...ALSO_WATCHED]) {
      const relative = path.relative(root, path.resolve(root, file));
      if (!relative.startsWith("node_modules")) inputs[relative] = mtimeOf(relative);
    }
    const entry = path.join(outdir, "keelwatch.mjs");
    const manifest = { version: MANIFEST_VERSION, root, entry: path.relative(CLI_DIR, entry), inputs };
    const pending = `${MANIFEST}.${process.pid}`;
    fs.writeFileSync(pending, `${JSON.stringify(manifest)}\n`);
    fs.renameSync(pending, MANIFEST);
    removeOldBuilds(outdir);
    return entry;
  } catch (error) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

/** The entry file of an up-to-date bundle, building it first when the sources changed. */
export async function cliBundle() {
  return freshBundle() ?? (await buildCli());
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const entry = await buildCli();
  process.stdout.write(`built ${path.relative(root, entry)}\n`);
}
