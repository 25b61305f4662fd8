import { PassThrough, Readable } from "node:stream";
import type { CliIO } from "./io";
import { main } from "./main";

/** Runs `keelwatch <argv>` in this process against `databaseUrl`, as tests do: its exit code and what it printed. */
export async function runCli(argv: string[], databaseUrl: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => {
    out += chunk;
  });
  stderr.on("data", (chunk) => {
    err += chunk;
  });
  const io: CliIO = {
    stdin: Readable.from([]),
    stdout,
    stderr,
    env: { NODE_ENV: "test", DATABASE_URL: databaseUrl },
    cwd: process.cwd(),
  };
  const code = await main(argv, io);
  return { code, out, err };
}
