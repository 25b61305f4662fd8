// How every script starts the production server: `next start` in a node that
// first loads scripts/http-limits.mjs (the request timeout uploads need).
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

/**
 * V8 sizes the heap against the machine's memory (about 4 GB here) and, with
 * that much room, lets garbage pile up: a 200,000-event upload peaked at
 * 400–900 MB RSS. With a 1 GB old space it collects sooner and peaked at
 * 280 MB for the same CPU time (bench/RESULTS.md). A NODE_OPTIONS setting of
 * its own wins.
 */
export const SERVER_HEAP_MB = 1024;

/**
 * Each of V8's two semi-spaces (where new objects live until they survive two
 * collections) is 16 MB by default. 8 MB took about 15 MB off an upload's peak
 * RSS at no measurable cost in events/s (bench/RESULTS.md, notes of
 * 2026-11-24); 4 MB and 2 MB had cost 15-25% (notes of 2026-11-23).
 */
export const SERVER_SEMI_SPACE_MB = 8;

/**
 * glibc gives each thread that allocates at once an arena of its own (up to
 * eight per core), and memory freed in one arena is not reused by another.
 * The server's threads (the main one, the batch writer's, libuv's pool for
 * gzip and files, V8's helpers) each kept megabytes in theirs. Two arenas
 * took 14-25 MiB off a 200,000-event upload's peak RSS (bench/RESULTS.md,
 * notes of 2026-12-06). glibc reads it at start-up, so it must be in the
 * server's environment; a MALLOC_ARENA_MAX of its own wins.
 */
export const SERVER_MALLOC_ARENAS = 2;

/** The environment to start the server in: `env` plus the allocator setting above. */
export function serverEnv(env = process.env) {
  return { ...env, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? String(SERVER_MALLOC_ARENAS) };
}

function heapFlags(env) {
  const set = env.NODE_OPTIONS ?? "";
  return [
    ...(/--max-old-space-size/.test(set) ? [] : [`--max-old-space-size=${SERVER_HEAP_MB}`]),
    ...(/--max-semi-space-size/.test(set) ? [] : [`--max-semi-space-size=${SERVER_SEMI_SPACE_MB}`]),
  ];
}

/** The command and arguments that serve the built app on `port`. */
export function nextStartCommand(port, env = process.env) {
  return {
    command: process.execPath,
    args: [
      ...heapFlags(env),
      "--import",
      path.join(root, "scripts", "http-limits.mjs"),
      path.join(root, "node_modules", "next", "dist", "bin", "next"),
      "start",
      "-p",
      String(port),
    ],
  };
}
