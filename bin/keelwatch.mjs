// The keelwatch command line: runs the bundle scripts/build-cli.mjs builds into .cache/cli/,
// building it first on the first run and whenever a source it was built from has changed.
// Should the build fail (esbuild missing, a syntax error mid-edit), the TypeScript entry point
// runs through tsx instead, slower to start but the same program.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { cliBundle } from "../scripts/build-cli.mjs";

let entry = null;
try {
  entry = await cliBundle();
} catch (error) {
  process.stderr.write(
    `keelwatch: could not build the command line (${error instanceof Error ? error.message.split("\n")[0] : error}); ` +
      "running it through tsx\n",
  );
}
if (entry !== null) {
  await import(pathToFileURL(entry).href);
} else {
  const root = path.resolve(import.meta.dirname, "..");
  const result = spawnSync(
    path.join(root, "node_modules", ".bin", "tsx"),
    [path.join(root, "bin", "keelwatch.ts"), ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  process.exitCode = result.status ?? 1;
}
