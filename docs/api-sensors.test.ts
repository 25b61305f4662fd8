import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postEvents } from "@/app/api/events/route";
import { installBuiltinRules } from "@/lib/app/builtin-rules";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { prisma } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";

/**
 * docs/api.md's sensor recipes work as written: every `sh` block of its
 * "Sensors" section that calls curl is run by sh, with the real curl and gzip,
 * against POST /api/events served over real HTTP (the route handler behind a
 * node:http server), and the tools' configuration snippets name the options
 * those requests depend on.
 */
const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

const doc = readFileSync(path.join(import.meta.dirname, "api.md"), "utf8");
const DOC_URL = "http://localhost:3000";

/** The "## Sensors" section of the doc, up to the next level-2 heading. */
function sensorsSection(text: string): string {
  const start = text.indexOf("\n## Sensors");
  if (start === -1) throw new Error('docs/api.md has no "## Sensors" section');
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

function codeBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g"))].map(
    (match) => match[1] as string,
  );
}

/** The JSON objects a block sends: its lines that are one (in a heredoc or a quoted printf argument). */
function sentEvents(block: string): Record<string, unknown>[] {
  return block
    .split("\n")
    .map((line) => line.trim().replace(/^'/, "").replace(/' \\$/, "").replace(/'$/, ""))
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** POST /api/events over HTTP: the route handler behind node:http, with the request body streamed through. */
function routeServer(): http.Server {
  return http.createServer(async (incoming, outgoing) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const address = incoming.socket.localAddress ?? "127.0.0.1";
    const request = new Request(`http://${address}:${(incoming.socket.localPort ?? 0).toString()}${incoming.url}`, {
      method: incoming.method,
      headers,
      body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
    const response =
      incoming.method === "POST" && new URL(request.url).pathname === "/api/events"
        ? await postEvents(request)
        : new Response("not found", { status: 404 });
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
}

function runShell(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-e", "-c", script], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let server: http.Server;
let baseUrl: string;
let token: string;
beforeAll(async () => {
  await installBuiltinRules();
  token = (await issueApiToken({ name: "docs-sensor", role: "ingest", expiresAt: null, createdById: null })).token;
  server = routeServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await prisma().$disconnect();
  database.cleanup();
});

interface Report {
  events: { received: number; accepted: number; rejected: number; duplicate: number };
  errors: { line: number; message: string }[];
  alerts: { created: number; suppressed: number; byRule: Record<string, number> };
  source?: { id: string; name: string };
}

describe("docs/api.md sensor recipes", () => {
  const section = sensorsSection(doc);
  const curlBlocks = codeBlocks(section, "sh").filter((block) => block.includes("curl "));

  it("has the curl recipes: one Falco alert, a gzip NDJSON batch, and Tetragon through Fluent Bit", () => {
    expect(curlBlocks).toHaveLength(3);
    expect(curlBlocks.every((block) => block.includes(DOC_URL))).toBe(true);
    expect(curlBlocks.map((block) => sentEvents(block).length)).toEqual([1, 2, 1]);
  });

  it.each(curlBlocks.map((block, index) => [index + 1, block] as const))(
    "runs curl recipe %i as written: every event stored, Falco's own alerts raised, a re-send stored nothing twice",
    async (_number, block) => {
      const script = block.replaceAll(DOC_URL, baseUrl);
      const events = sentEvents(block);
      const first = await runShell(script, { TOKEN: token });
      expect(first.code, first.stderr + first.stdout).toBe(0);
      const report = JSON.parse(first.stdout) as Report;
      expect(report.errors).toEqual([]);
      // Without ?filename= and with a token, the request is a sensor push into the token's stream.
      expect(report.source).toMatchObject({ name: "docs-sensor" });
      expect(report.events).toMatchObject({ received: events.length, accepted: events.length, rejected: 0 });
      // The promotion rule names its alerts after Falco's rules.
      for (const event of events) {
        if (typeof event.rule === "string") expect(report.alerts.byRule[event.rule], event.rule).toBe(1);
      }

      // A sensor that got no answer sends the same request again: nothing is stored or raised twice.
      const again = await runShell(script, { TOKEN: token });
      expect(again.code, again.stderr + again.stdout).toBe(0);
      const retry = JSON.parse(again.stdout) as Report;
      expect(retry.events).toMatchObject({ received: events.length, duplicate: events.length, rejected: 0 });
      expect(retry.alerts.created).toBe(0);
    },
  );

  it("makes curl fail on a refusal, as the text says: a wrong token exits non-zero", async () => {
    const block = curlBlocks[0] as string;
    const refused = await runShell(block.replaceAll(DOC_URL, baseUrl), { TOKEN: "kw_not_a_token" });
    expect(refused.code).not.toBe(0);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: "unauthenticated" } });
  });

  it("configures each tool with the options its request needs", () => {
    const ini = codeBlocks(section, "ini");
    const fluentBitOutput = ini.find((block) => /^\s*name\s+http$/m.test(block)) ?? "";
    expect(fluentBitOutput).toMatch(/^\s*uri\s+\/api\/events$/m);
    expect(fluentBitOutput).toMatch(/^\s*format\s+json_lines$/m);
    expect(fluentBitOutput).toMatch(/^\s*compress\s+gzip$/m);
    expect(fluentBitOutput).toMatch(/^\s*header\s+Authorization Bearer kw_\S+$/m);

    const tetragon = ini.find((block) => block.includes("name   tail")) ?? "";
    expect(tetragon).toMatch(/^\s*path\s+\/var\/run\/cilium\/tetragon\/tetragon\.log$/m);
    expect(tetragon).toMatch(/^\s*parser\s+tetragon_json$/m);
    expect(tetragon).toMatch(/^\s*name\s+tetragon_json$/m);

    const [vector] = codeBlocks(section, "toml");
    expect(vector).toMatch(/^type = "http"$/m);
    expect(vector).toMatch(/^uri = "http:\/\/[^"]+\/api\/events"$/m);
    expect(vector).toMatch(/^compression = "gzip"$/m);
    expect(vector).toMatch(/^encoding\.codec = "json"$/m);
    expect(vector).toMatch(/^framing\.method = "newline_delimited"$/m);
    expect(vector).toMatch(/^auth\.strategy = "bearer"$/m);

    const [falcosidekick] = codeBlocks(section, "yaml");
    expect(falcosidekick).toMatch(/^webhook:\n {2}address: "http:\/\/[^"]+\/api\/events"$/m);
    expect(falcosidekick).toMatch(/^ {2}customHeaders:\n {4}Authorization: "Bearer kw_\S+"$/m);
  });
});
