// How every script starts the production server: `next start` in a node that
// first loads scripts/http-limits.mjs (the request timeout uploads need).
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

/** The command and arguments that serve the built app on `port`. */
export function nextStartCommand(port) {
  return {
    command: process.execPath,
    args: [
      "--import",
      path.join(root, "scripts", "http-limits.mjs"),
      path.join(root, "node_modules", "next", "dist", "bin", "next"),
      "start",
      "-p",
      String(port),
    ],
  };
}
