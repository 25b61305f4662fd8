import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getAlertDetail } from "../db/alert-detail";
import { listAlerts } from "../db/alert-list";
import { prisma } from "../db/client";
import { createExceptionItem } from "../db/exceptions";
import { updateRule } from "../db/rule-admin";
import { syncBuiltinRules } from "../db/rules";
import { setUpTestDatabase } from "../db/test-database-hooks";
import { prefillConditions } from "../exceptions/prefill";
import { loadBuiltinRules } from "../rules/load";
import { ingestEvents } from "./ingest";

/**
 * The built-in promotion rules over real sensor output (e2e/fixtures): each sensor alert becomes one Keelwatch
 * alert named after the sensor's rule, with the mapped severity, linked to the promotion rule, and exceptions,
 * disabling and severity edits work on them as on any rule. Rules and exceptions come from the database, as in
 * the server.
 */
setUpTestDatabase();

const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "e2e", "fixtures");
const FALCO_ALERT = "4c50a75e-4bea-402d-87e3-3360cd924004";
const TETRAGON_HIT = "3f69c0b0-8e80-45e5-84f4-eed6cb4ad9a9";
const DATADOG_SIGNAL = "399aab98-b54e-45fb-9b5a-0e54936c37f7";
const actor = { id: null, label: "tester", ip: "127.0.0.1" };

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), "utf8");
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

function ingest(text: string, fileName: string, format: "auto" | "falco" = "auto") {
  return ingestEvents(bytes(text), { fileName, format, createdById: null });
}

async function promotedAlerts(ruleId: string) {
  return prisma().alert.findMany({
    where: { ruleId },
    orderBy: { timestamp: "asc" },
    select: {
      id: true,
      ruleId: true,
      ruleName: true,
      severity: true,
      severityRank: true,
      riskScore: true,
      containerName: true,
    },
  });
}

/** A Falco line again, a minute later: another alert of the same rule and workload (another content hash). */
function aMinuteLater(line: string): string {
  const alert = JSON.parse(line) as { time: string; output_fields?: Record<string, unknown> };
  const time = new Date(new Date(alert.time).getTime() + 60_000).toISOString();
  return JSON.stringify({ ...alert, time });
}

beforeAll(async () => {
  await syncBuiltinRules(await loadBuiltinRules());
});

beforeEach(async () => {
  await prisma().alert.deleteMany();
  await prisma().event.deleteMany();
  await prisma().upload.deleteMany();
  await prisma().exceptionItem.deleteMany();
  await prisma().rule.updateMany({ data: { enabled: true } });
});

describe("promotion rules over real sensor output", () => {
  it("raises one alert per Falco alert, named after the Falco rule, with severity from its priority", async () => {
    const report = await ingest(fixture("sensors/falco-alerts.ndjson"), "falco-alerts.ndjson");
    // Two metrics snapshots are reported once, and are not events.
    expect(report.events).toMatchObject({ received: 6, accepted: 6, rejected: 0, skipped: 2 });
    expect(report.errorCount).toBe(0);
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/^not an event: 2 Falco metrics snapshots/) }),
    ]);
    const alerts = await promotedAlerts(FALCO_ALERT);
    expect(alerts.map((alert) => [alert.ruleName, alert.severity, alert.severityRank])).toEqual([
      ["Terminal shell in container", "medium", 2],
      ["Read sensitive file untrusted", "high", 3],
      ["Contact K8S API Server From Container", "medium", 2],
      ["Attach/Exec Pod", "medium", 2],
      ["Disallowed K8s User", "high", 3],
      ["K8s Secret Listed From A Pod", "critical", 4],
    ]);
    // The risk score follows the priority as the severity does, so sorting by risk puts Falco's critical first.
    expect(alerts.map((alert) => alert.riskScore)).toEqual([47, 73, 47, 47, 73, 99]);
    expect(report.alerts.created).toBe(6);
    expect(report.alerts.byRule).toMatchObject({ "Terminal shell in container": 1, "K8s Secret Listed From A Pod": 1 });

    // The alert detail still links the promotion rule and carries Falco's own output and rule.
    const detail = await getAlertDetail(alerts[0]!.id);
    expect(detail?.rule?.name).toBe("Falco alert");
    const event = detail?.events[0]?.document as Record<string, Record<string, unknown>>;
    expect(event.event?.kind).toBe("alert");
    expect(event.rule?.name).toBe("Terminal shell in container");
    expect(String(event.message)).toMatch(/A shell was spawned in a container with an attached terminal/);
  });

  it("maps every Falco priority of the older fixture, k8s_audit and syscall alike", async () => {
    await ingest(fixture("falco.ndjson"), "falco.ndjson", "falco");
    const alerts = await promotedAlerts(FALCO_ALERT);
    expect(alerts).toHaveLength(10);
    expect(alerts.find((alert) => alert.ruleName === "Drop and execute new binary in container")?.severity).toBe(
      "critical",
    );
    expect(alerts.find((alert) => alert.ruleName === "Run shell untrusted")?.severity).toBe("medium");
  });

  it("promotes Tetragon policy hits, high when the policy enforced an action", async () => {
    await ingest(fixture("sensors/tetragon-network.ndjson"), "tetragon-network.ndjson");
    await ingest(fixture("tetragon.ndjson"), "tetragon.ndjson");
    const alerts = await promotedAlerts(TETRAGON_HIT);
    expect(alerts.map((alert) => [alert.ruleName, alert.severity]).sort()).toEqual([
      ["block-metadata-egress", "high"],
      ["file-monitoring-lsm", "medium"],
      ["monitor-network", "medium"],
    ]);
  });

  it("promotes Datadog Workload Protection events that carry an agent rule", async () => {
    await ingest(fixture("datadog.ndjson"), "datadog.ndjson");
    const alerts = await promotedAlerts(DATADOG_SIGNAL);
    expect(alerts).toHaveLength(11);
    expect(new Set(alerts.map((alert) => alert.ruleName))).toEqual(
      new Set([
        "interactive_shell_in_container",
        "shell_spawned_by_web_app",
        "net_util_in_container",
        "ruleset_loaded_exec",
        "exec_from_tmp",
        "network_utility_executed_in_container",
        "sensitive_file_read",
      ]),
    );
    expect(alerts.every((alert) => alert.severity === "medium")).toBe(true);
  });

  it("an exception written from a Falco alert silences the next one, and only that Falco rule", async () => {
    const lines = fixture("sensors/falco-alerts.ndjson").trim().split("\n");
    await ingest(`${lines[0]}\n`, "first.ndjson");
    const [first] = await promotedAlerts(FALCO_ALERT);
    expect(first?.ruleName).toBe("Terminal shell in container");

    // As "Add exception" on the alert does: conditions prefilled from its triggering event, scoped to its rule.
    const detail = await getAlertDetail(first!.id);
    const conditions = prefillConditions(detail!.events[0]!.document);
    expect(conditions).toContainEqual({ field: "rule.name", operator: "is", value: "Terminal shell in container" });
    await createExceptionItem(
      { name: "Shell in the frontend is expected", scope: { ruleId: first!.ruleId }, groups: [conditions] },
      actor,
    );

    const report = await ingest(`${aMinuteLater(lines[0]!)}\n${aMinuteLater(lines[1]!)}\n`, "next.ndjson");
    expect(report.alerts.suppressedByException).toBe(1);
    expect(report.alerts.created).toBe(1);
    const names = (await promotedAlerts(FALCO_ALERT)).map((alert) => alert.ruleName);
    expect(names).toEqual(["Terminal shell in container", "Read sensitive file untrusted"]);
  });

  it("a disabled promotion rule raises nothing; an edited severity mapping applies to the next alerts", async () => {
    const falco = fixture("sensors/falco-alerts.ndjson");
    const disabled = await updateRule(FALCO_ALERT, { enabled: false }, actor);
    expect(disabled.ok).toBe(true);
    await ingest(falco, "while-disabled.ndjson");
    expect(await promotedAlerts(FALCO_ALERT)).toEqual([]);

    const edited = await updateRule(
      FALCO_ALERT,
      { enabled: true, severityMapping: [{ field: "falco.priority", value: "Notice", severity: "critical" }] },
      actor,
    );
    expect(edited.ok).toBe(true);
    const again = falco
      .trim()
      .split("\n")
      .filter((line) => line.includes('"rule":"Terminal shell in container"'))
      .map(aMinuteLater);
    await ingest(`${again.join("\n")}\n`, "after-edit.ndjson");
    const alerts = await promotedAlerts(FALCO_ALERT);
    expect(alerts.map((alert) => [alert.ruleName, alert.severity])).toEqual([
      ["Terminal shell in container", "critical"],
    ]);

    // The next start loads the built-in pack again: the analyst's mapping stays.
    await syncBuiltinRules(await loadBuiltinRules());
    const kept = await prisma().rule.findUniqueOrThrow({ where: { id: FALCO_ALERT } });
    expect(JSON.parse(kept.severityMapping)).toEqual([
      { field: "falco.priority", value: "Notice", severity: "critical" },
    ]);
  });

  it("suppression by fields folds repeats within the window into the kept alert's count", async () => {
    const saved = await updateRule(
      FALCO_ALERT,
      { alertSuppression: { groupBy: ["rule.name", "container.id"], duration: "5m" } },
      actor,
    );
    expect(saved.ok).toBe(true);
    const line = fixture("sensors/falco-alerts.ndjson").trim().split("\n")[0]!;
    const at = (minutes: number) => {
      const alert = JSON.parse(line) as { time: string };
      return JSON.stringify({ ...alert, time: new Date(Date.parse(alert.time) + minutes * 60_000).toISOString() });
    };
    const first = await ingest(`${[at(0), at(1), at(2)].join("\n")}\n`, "repeats.ndjson");
    expect(first.alerts).toMatchObject({ created: 1, suppressed: 2, duplicate: 0 });
    // Later in another upload: still within 5 minutes of the kept alert, then past it.
    const later = await ingest(`${[at(4), at(7)].join("\n")}\n`, "later.ndjson");
    expect(later.alerts).toMatchObject({ created: 1, suppressed: 1 });
    // The same file again adds nothing: a stored detection is a duplicate, not one more repeat.
    const again = await ingest(`${[at(0), at(1), at(2)].join("\n")}\n`, "repeats-again.ndjson");
    expect(again.alerts).toMatchObject({ created: 0, suppressed: 0, duplicate: 3 });
    const alerts = await prisma().alert.findMany({
      where: { ruleId: FALCO_ALERT },
      orderBy: { timestamp: "asc" },
      select: { ruleName: true, suppressedCount: true },
    });
    expect(alerts).toEqual([
      { ruleName: "Terminal shell in container", suppressedCount: 3 },
      { ruleName: "Terminal shell in container", suppressedCount: 0 },
    ]);
    // The list and the detail carry the count.
    const listed = await listAlerts({ rule: FALCO_ALERT });
    expect(listed.items.map((item) => item.suppressedCount).sort()).toEqual([0, 3]);
    const kept = listed.items.find((item) => item.suppressedCount === 3)!;
    expect((await getAlertDetail(kept.id))?.suppressedCount).toBe(3);
    await updateRule(FALCO_ALERT, { alertSuppression: null }, actor);
  });
});
