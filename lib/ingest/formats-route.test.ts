/**
 * Each format's sample file goes through the real route handler, the real
 * built-in rules and a real SQLite file: the report and the stored alerts must
 * agree with what the rules mean.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "../../app/api/events/route";
import { installBuiltinRules } from "../app/builtin-rules";
import { issueApiToken } from "../auth/api-tokens";
import { TEST_ORIGIN } from "../auth/test-helpers";
import { prisma } from "../db/client";
import { createTestDatabase } from "../db/test-database";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

const FIXTURES = path.join(import.meta.dirname, "..", "..", "e2e", "fixtures");
const NETWORK_TOOL = "Suspicious Network Tool Launched Inside A Container";
const SHELL = "Suspicious Interactive Shell Spawned From Inside A Container";
const UTILITY = "Network utility executed in container";
/** The built-in promotion rules: "Falco alert", "Tetragon policy hit", "Datadog Workload Protection signal". */
const PROMOTION_RULES = new Set([
  "4c50a75e-4bea-402d-87e3-3360cd924004",
  "3f69c0b0-8e80-45e5-84f4-eed6cb4ad9a9",
  "399aab98-b54e-45fb-9b5a-0e54936c37f7",
]);

let token: string;

beforeAll(async () => {
  await installBuiltinRules();
  token = (await issueApiToken({ name: "sensor", role: "ingest", expiresAt: null, createdById: null })).token;
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

async function post(body: Buffer, query: string) {
  const response = await POST(
    new Request(`${TEST_ORIGIN}/api/events${query}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body,
      duplex: "half",
    } as RequestInit),
  );
  return { status: response.status, report: await response.json() };
}

const cases = [
  {
    file: "ecs-cloud-defend.ndjson",
    format: "ecs",
    byRule: { [NETWORK_TOOL]: 3, [SHELL]: 2, [UTILITY]: 1 },
    promoted: {} as Record<string, number>,
    executables: {
      [NETWORK_TOOL]: ["/usr/bin/nc", "/usr/bin/nslookup", "/usr/bin/timeout"],
      [UTILITY]: ["/usr/bin/nslookup"],
    },
  },
  {
    file: "falco.ndjson",
    format: "falco",
    byRule: { [NETWORK_TOOL]: 3, [SHELL]: 1, [UTILITY]: 1 },
    promoted: {
      // one per Falco alert in the file (the same as keelwatch detect lists); no two repeat a command in a container
      "Drop and execute new binary in container": 1,
      "Launch Package Management Process in Container": 1,
      "Launch Suspicious Network Tool in Container": 2,
      "Launch Suspicious Network Tool on Host": 1,
      "Netcat Remote Code Execution in Container": 1,
      "Outbound Connection to C2 Servers": 1,
      "Read sensitive file untrusted": 1,
      "Run shell untrusted": 1,
      "Terminal shell in container": 1,
    } as Record<string, number>,
    executables: {
      [NETWORK_TOOL]: ["/usr/bin/nc", "/usr/bin/nmap", "/usr/bin/nslookup"],
      [UTILITY]: ["/usr/bin/nslookup"],
    },
  },
  {
    file: "tetragon.ndjson",
    format: "tetragon",
    byRule: { [NETWORK_TOOL]: 3, [SHELL]: 2, [UTILITY]: 1 },
    promoted: { "monitor-network": 1 } as Record<string, number>,
    executables: {
      [NETWORK_TOOL]: ["/usr/bin/nc", "/usr/bin/nslookup", "/usr/bin/timeout"],
      [UTILITY]: ["/usr/bin/nslookup"],
    },
  },
  {
    file: "datadog.ndjson",
    format: "datadog",
    byRule: { [NETWORK_TOOL]: 3, [SHELL]: 1, [UTILITY]: 1 },
    promoted: {
      exec_from_tmp: 1,
      interactive_shell_in_container: 1,
      net_util_in_container: 1,
      network_utility_executed_in_container: 1,
      ruleset_loaded_exec: 5,
      sensitive_file_read: 1,
      shell_spawned_by_web_app: 1,
    } as Record<string, number>,
    executables: {
      [NETWORK_TOOL]: ["/usr/bin/dig", "/usr/bin/nc", "/usr/bin/nslookup"],
      [UTILITY]: ["/usr/bin/nslookup"],
    },
  },
];

describe.each(cases)("POST /api/events with $file", ({ file, format, byRule, promoted, executables }) => {
  const content = readFileSync(path.join(FIXTURES, file));
  const lines = content
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "").length;

  it("detects the format, stores every event and raises the built-in rules' alerts", async () => {
    const { status, report } = await post(content, `?filename=${file}`);
    expect(status).toBe(200);
    expect(report.format).toBe(format);
    expect(report.events).toEqual({ received: lines, accepted: lines, rejected: 0, duplicate: 0 });
    // The detection rules' alerts; the sensors' own alerts are the promotion rules' (named after the sensor's rule).
    const rules = report.alerts.rules as { ruleId: string; ruleName: string; created: number }[];
    const detected = rules.filter((rule) => !PROMOTION_RULES.has(rule.ruleId));
    expect(Object.fromEntries(detected.map((rule) => [rule.ruleName, rule.created]))).toEqual(byRule);
    const promotedNow = rules.filter((rule) => PROMOTION_RULES.has(rule.ruleId));
    expect(Object.fromEntries(promotedNow.map((rule) => [rule.ruleName, rule.created]))).toEqual(promoted);

    const alerts = await prisma().alert.findMany({
      where: { uploadId: report.uploadId, ruleId: { notIn: [...PROMOTION_RULES] } },
      include: { events: true },
      orderBy: { processExecutable: "asc" },
    });
    expect(alerts).toHaveLength(Object.values(byRule).reduce((sum, count) => sum + count, 0));
    for (const [rule, expected] of Object.entries(executables)) {
      expect(alerts.filter((alert) => alert.ruleName === rule).map((alert) => alert.processExecutable)).toEqual(
        expected,
      );
    }
    for (const alert of alerts) {
      expect(alert.containerId, `${alert.ruleName} alert keeps its container`).toBeTruthy();
      expect(alert.events).toHaveLength(1);
    }
    expect(await prisma().event.count({ where: { uploadId: report.uploadId } })).toBe(lines);
  });

  it("stores nothing twice when the same file comes again, gzipped", async () => {
    const before = { events: await prisma().event.count(), alerts: await prisma().alert.count() };
    const { status, report } = await post(gzipSync(content), `?filename=${file}.gz&format=${format}`);
    expect(status).toBe(200);
    expect(report.events).toEqual({ received: lines, accepted: lines, rejected: 0, duplicate: lines });
    expect(report.alerts.created).toBe(0);
    expect(await prisma().event.count()).toBe(before.events);
    expect(await prisma().alert.count()).toBe(before.alerts);
  });
});

describe("POST /api/events with a file of bad lines", () => {
  it("names each bad line, in line order, and keeps the good ones", async () => {
    const content = readFileSync(path.join(FIXTURES, "bad-lines.ndjson"));
    const { status, report } = await post(content, "?filename=bad-lines.ndjson");
    expect(status).toBe(207);
    expect(report.errors.map((error: { line: number }) => error.line)).toEqual([2, 3, 5, 7, 8, 9, 10]);
    expect(report.errors[0].message).toMatch(/invalid JSON/);
    expect(report.events.rejected).toBe(7);
    expect(report.events.accepted).toBe(3);
    // Its good lines repeat events of the ECS sample stored above: kept once, counted as duplicates.
    const stored = await prisma().event.count({ where: { uploadId: report.uploadId } });
    expect(stored + report.events.duplicate).toBe(3);
  });
});
