/**
 * Every command and subcommand that README.md and docs/cli.md name runs
 * through bin/keelwatch, in a child process, as a user would type it: against
 * a fresh SQLite file (DATABASE_URL), and for `ingest` against a real HTTP
 * server answering with the app's own POST /api/events handler. A command the
 * documentation names but the program lacks fails here, and so does a newly
 * documented command until this file learns how to run it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "../../app/api/events/route";
import { closeBatchWriter } from "../db/batch-writer";
import { prisma } from "../db/client";
import { createTestPostgresDatabase } from "../db/dialect/postgresql/test-cluster";
import { createChannel } from "../notify/channels-admin";
import { startHttpReceiver } from "../notify/test-receivers";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "keelwatch");
const ECS_EVENTS = path.join(ROOT, "e2e", "fixtures", "ecs-cloud-defend.ndjson");
const BUILTIN_RULES = path.join(ROOT, "lib", "rules", "builtin");

const WORD = "[a-z][a-z-]*";
/** `keelwatch NAME [SUB | <a|b|c>]` inside code: the command and its subcommand(s). */
const INVOCATION = new RegExp(
  `(?:^|[\\s(\`$])keelwatch (${WORD})(?: (${WORD}|<${WORD}(?:\\|${WORD})*>))?(?=[\\s\`)]|$)`,
  "gm",
);

/** The text inside code spans and fenced blocks: where commands are shown, not described. */
function codeOf(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? "");
  const withoutFences = markdown.replace(/^```[a-z]*\n[\s\S]*?^```/gm, "");
  const spans = [...withoutFences.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] ?? "");
  return [...fenced, ...spans];
}

/** "rules import", "db status", "eql": each command (with its subcommand when one is named) that a page shows. */
function documentedCommands(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const code of codeOf(markdown)) {
    for (const match of code.matchAll(INVOCATION)) {
      const [, command = "", sub] = match;
      if (sub === undefined) names.add(command);
      else for (const each of sub.replace(/[<>]/g, "").split("|")) names.add(`${command} ${each}`);
    }
  }
  // A table row may continue a command without repeating "keelwatch": `rules list`, `rules import FILE`.
  for (const row of markdown.split("\n").filter((line) => line.startsWith("| `keelwatch "))) {
    const spans = [...(row.split(/(?<!\\)\|/)[1] ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
    const command = spans[0]?.split(" ")[1];
    for (const span of spans.slice(1)) {
      const [first, second] = span.split(" ");
      if (first === command && second && new RegExp(`^${WORD}$`).test(second)) names.add(`${command} ${second}`);
    }
  }
  return names;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

interface Step {
  /** "command" or "command subcommand", as the documentation names it. */
  name: string;
  args: () => string[];
  check: (run: Run) => void;
  /** what must exist before the command runs (a notification channel for `notify test`) */
  prepare?: () => Promise<void>;
}

const workspace = mkdtempSync(path.join(tmpdir(), "keelwatch-documented-"));
const databaseUrl = `file:${path.join(workspace, "keelwatch.db")}`;
let server: Server;
let serverUrl = "";
let token = "";
let copyTarget = "";
let receiver: Awaited<ReturnType<typeof startHttpReceiver>> | null = null;

function keelwatch(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      BIN,
      args,
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

const lines = (text: string) => text.trim().split("\n").filter(Boolean);

/** In the order a new user would go: migrate, a token, send events, rules, the demo, the offline tools. */
const STEPS: Step[] = [
  {
    name: "db migrate",
    args: () => ["db", "migrate"],
    check: (run) => expect(run.out).toMatch(/^Applied \d+ migration\(s\) to /),
  },
  {
    name: "db status",
    args: () => ["db", "status"],
    check: (run) => {
      expect(run.out).toMatch(/\n {2}applied {3}\d{14}_/);
      // The stored totals, as shared/docs/contract.md promises.
      expect(run.out).toMatch(/\nevents 0\nalerts 0\n/);
      expect(run.out).toMatch(/\ndisk_bytes [1-9]\d*\n/);
    },
  },
  {
    name: "db vacuum",
    args: () => ["db", "vacuum"],
    check: (run) => expect(run.out).toMatch(/^Vacuumed .*: [\d.]+ MB -> [\d.]+ MB\.\n$/),
  },
  {
    name: "token create",
    args: () => ["token", "create", "--name", "documented-commands", "--role", "ingest"],
    check: (run) => {
      token = run.out.trim();
      expect(token.length).toBeGreaterThan(20);
    },
  },
  {
    name: "ingest",
    args: () => ["ingest", ECS_EVENTS, "--url", serverUrl, "--token", token],
    check: (run) => expect(JSON.parse(run.out).events.accepted).toBe(lines(readFileSync(ECS_EVENTS, "utf8")).length),
  },
  {
    name: "rules import",
    args: () => ["rules", "import", BUILTIN_RULES],
    check: (run) => expect(run.err).toMatch(/6 created, 0 updated, 0 unchanged, 0 refused/),
  },
  {
    name: "rules list",
    args: () => ["rules", "list"],
    check: (run) => expect(run.out).toContain("Suspicious Network Tool Launched Inside A Container"),
  },
  {
    name: "rules export",
    args: () => ["rules", "export"],
    check: (run) => expect(lines(run.out)).toHaveLength(7),
  },
  {
    name: "demo",
    args: () => ["demo"],
    check: (run) => expect(run.out).toMatch(/^Loaded Sample incident .*: \d+ events, [1-9]\d* alerts\./),
  },
  {
    name: "hunt",
    args: () => ["hunt", "--query", 'process where process.name == "curl"', "--from", "now-2d"],
    check: (run) => expect(lines(run.out).map((line) => JSON.parse(line).process.name)).toContain("curl"),
  },
  {
    // Into a database on the test run's PostgreSQL cluster (scripts/pg-cluster.mjs), with the sample loaded above.
    name: "db copy",
    prepare: async () => {
      copyTarget = await createTestPostgresDatabase("documented");
    },
    args: () => ["db", "copy", "--to", copyTarget],
    check: (run) => {
      expect(run.out).toMatch(/\nAlert +[1-9]\d* +[1-9]\d*\n/);
      expect(run.out).toMatch(/row counts verified\.\n$/);
    },
  },
  {
    name: "demo --remove",
    args: () => ["demo", "--remove"],
    check: (run) => expect(run.out).toMatch(/^Removed sample data: 1 upload\(s\)/),
  },
  {
    name: "eql",
    args: () => ["eql", "--events", ECS_EVENTS, "--query", 'process where process.name in ("nc", "ncat", "nmap")'],
    check: (run) => expect(lines(run.out).length).toBeGreaterThan(0),
  },
  {
    name: "detect",
    args: () => ["detect", "--events", ECS_EVENTS],
    check: (run) =>
      expect(lines(run.out).map((line) => JSON.parse(line).rule_name)).toContain(
        "Suspicious Network Tool Launched Inside A Container",
      ),
  },
  {
    name: "notify test",
    prepare: async () => {
      receiver = await startHttpReceiver();
      const actor = {
        principal: { kind: "user" as const, id: "docs", username: "docs", displayName: "docs", role: "admin" as const },
        ip: null,
        sessionIdHash: null,
      };
      const created = await createChannel(actor, { kind: "slack", name: "documented", url: `${receiver.url}/hook` });
      if (!created.ok) throw new Error(created.message);
    },
    args: () => ["notify", "test", "documented"],
    check: (run) => {
      expect(run.out).toMatch(/^Delivered a test message through "documented" \(200\)/);
      expect(receiver?.requests).toHaveLength(1);
    },
  },
];

/** POST /api/events of the app, served over real HTTP for `keelwatch ingest`. */
async function serveEvents(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(key, value);
  }
  const answer = await POST(
    new Request(new URL(request.url ?? "/", serverUrl), {
      method: request.method,
      headers,
      body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit),
  );
  response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
  response.end(Buffer.from(await answer.arrayBuffer()));
}

beforeAll(async () => {
  process.env.DATABASE_URL = databaseUrl;
  server = createServer((request, response) => {
    serveEvents(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await receiver?.close();
  await prisma().$disconnect();
  await closeBatchWriter();
  rmSync(workspace, { recursive: true, force: true });
});

describe("every documented command", () => {
  const documented = new Set([
    ...documentedCommands(readFileSync(path.join(ROOT, "README.md"), "utf8")),
    ...documentedCommands(readFileSync(path.join(ROOT, "docs", "cli.md"), "utf8")),
  ]);

  it("finds the commands the pages show, subcommands included", () => {
    expect(documented).toContain("rules import");
    expect(documented).toContain("db status");
    expect(documented).toContain("eql");
    expect(documentedCommands("`keelwatch frob list`, `frob make`\n")).toEqual(new Set(["frob list"]));
    expect(documentedCommands("| `keelwatch frob list`, `frob make X` | … |\n")).toEqual(
      new Set(["frob list", "frob make"]),
    );
    expect(documentedCommands("```text\nUsage: keelwatch frob <a|b>\n  keelwatch frob stats: x\n```\n")).toEqual(
      new Set(["frob a", "frob b", "frob"]),
    );
  });

  it("has a way to run each of them here", () => {
    const known = new Set(STEPS.map((step) => step.name.replace(/ --.*/, "")));
    const unknown = [...documented].filter(
      (name) => !known.has(name) && ![...known].some((step) => step.startsWith(`${name} `)),
    );
    expect(unknown, "documented commands this test does not run yet: add a step for each").toEqual([]);
  });

  it("runs each through bin/keelwatch", { timeout: 180_000 }, async () => {
    for (const step of STEPS) {
      await step.prepare?.();
      const run = await keelwatch(step.args());
      expect(run.err, `keelwatch ${step.name}`).not.toMatch(/unknown (command|action)/);
      expect(run.code, `keelwatch ${step.name}: ${run.err}`).toBe(0);
      step.check(run);
    }
  });
});
