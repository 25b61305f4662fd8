import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import type { CliCommand } from "../io";
import { UsageError } from "../io";

const help = `Usage: keelwatch ingest FILE [--url http://localhost:3000] [--token TOKEN] [--format auto|ecs|falco|tetragon|datadog]

Streams an events file (NDJSON or a JSON array, .gz welcome; FILE may be - for stdin) to a running
Keelwatch server's POST /api/events and prints the upload report as JSON.
The token (an ingest, analyst or admin API token: \`keelwatch token create\`) may also come from
KEELWATCH_TOKEN, and the URL from KEELWATCH_URL.
Exit codes: 0 all events accepted, 3 some lines rejected (see the report), 1 the upload failed.`;

export const ingestCommand: CliCommand = {
  summary: "stream an events file to a running server",
  help,
  async run(argv, io) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(argv);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError("give exactly one FILE (or - for stdin)");
    const token = values.token ?? io.env.KEELWATCH_TOKEN;
    if (!token) throw new UsageError("an API token is needed: --token or KEELWATCH_TOKEN");
    const base = values.url ?? io.env.KEELWATCH_URL ?? "http://localhost:3000";
    let endpoint: URL;
    try {
      endpoint = new URL("/api/events", base);
    } catch {
      throw new UsageError(`--url is not a URL: ${base}`);
    }
    endpoint.searchParams.set("format", values.format ?? "auto");
    endpoint.searchParams.set("filename", file === "-" ? "stdin" : path.basename(file));

    let body: Readable;
    if (file === "-") body = Readable.from(io.stdin);
    else {
      const full = path.resolve(io.cwd, file);
      if (!fs.existsSync(full)) {
        io.stderr.write(`keelwatch ingest: no such file: ${file}\n`);
        return 1;
      }
      body = fs.createReadStream(full);
    }
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-ndjson" },
        body: Readable.toWeb(body) as ReadableStream<Uint8Array>,
        duplex: "half",
      } as RequestInit);
    } catch (error) {
      io.stderr.write(`keelwatch ingest: cannot reach ${endpoint.origin}: ${(error as Error).message}\n`);
      return 1;
    }
    const text = await response.text();
    if (response.status === 200 || response.status === 207) {
      io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
      return response.status === 200 ? 0 : 3;
    }
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // not JSON: show the body as it came
    }
    io.stderr.write(`keelwatch ingest: the server answered ${response.status}: ${message}\n`);
    return 1;
  },
};

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { url: { type: "string" }, token: { type: "string" }, format: { type: "string" } },
    strict: true,
    allowPositionals: true,
  });
}
