import { createHash, randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client";
import type { AlertDraft } from "./alerts";
import type { EventRow } from "./events";

/**
 * Rows for alert tests (vitest and the Playwright seed): a rule, stored
 * events and alerts linked to them, written directly so a test controls
 * every column. Takes the client so the e2e seed can point at its own file.
 */

const SEVERITY_RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;

export type Document = Record<string, unknown>;

export async function seedRule(
  db: PrismaClient,
  overrides: Partial<{
    id: string;
    name: string;
    guide: string;
    triageSteps: string[];
    responseSteps: string[];
    falsePositives: string[];
    threat: unknown[];
    severity: string;
    riskScore: number;
  }> = {},
) {
  return db.rule.create({
    data: {
      id: overrides.id ?? `rule-${randomUUID()}`,
      name: overrides.name ?? "Network tool in container",
      description: "A network utility ran inside a container.",
      query: 'process where process.name == "nc"',
      severity: overrides.severity ?? "medium",
      riskScore: overrides.riskScore ?? 47,
      guide: overrides.guide ?? "## Triage\n\nLook at the command line.",
      triageSteps: JSON.stringify(overrides.triageSteps ?? ["Check the container", "Read the command line"]),
      responseSteps: JSON.stringify(overrides.responseSteps ?? ["Isolate the container"]),
      falsePositives: JSON.stringify(overrides.falsePositives ?? ["Debug images"]),
      threat: JSON.stringify(overrides.threat ?? []),
    },
  });
}

/** An event as ingest hands it to the batch writer; a fresh content hash unless one is given. */
export function eventRow(line: number, overrides: Partial<EventRow> = {}): EventRow {
  return {
    line,
    contentHash: randomUUID(),
    timestamp: new Date("2026-11-20T10:00:00.123Z"),
    category: "process",
    type: "start",
    action: "exec",
    containerId: "c1",
    hostName: "node-1",
    entityId: null,
    parentEntityId: null,
    processName: "nc",
    processExecutable: "/tmp/nc",
    document: JSON.stringify({ line }),
    ...overrides,
  };
}

/**
 * An alert of `rule` on these events as detection drafts one for the batch writer (a network tool run in container
 * c1, timed by its first event); `suppression` makes it a suppressing rule's.
 */
export function alertDraftFixture(
  rule: { id: string; name: string },
  dedupKey: string,
  events: readonly Pick<EventRow, "contentHash" | "timestamp">[],
  suppression?: AlertDraft["suppression"],
): AlertDraft {
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    severity: "medium",
    severityRank: SEVERITY_RANK.medium,
    riskScore: 47,
    dedupKey,
    timestamp: events[0]?.timestamp ?? new Date(),
    containerId: "c1",
    containerName: "web",
    imageName: "nginx",
    hostName: "node-1",
    processName: "nc",
    processExecutable: "/tmp/nc",
    commandLine: "nc -l 4444",
    userName: "root",
    entityId: null,
    entryLeaderEntityId: null,
    sessionLeaderEntityId: null,
    events: events.map((event) => ({ contentHash: event.contentHash, timestamp: event.timestamp })),
    suppression,
  };
}

export async function seedUpload(db: PrismaClient, fileName = "fixture.ndjson") {
  return db.upload.create({ data: { fileName, format: "ecs", status: "done" } });
}

/** A process event; the indexed columns are taken from the document as ingest would. */
export async function seedEvent(db: PrismaClient, uploadId: string, line: number, document: Document) {
  const process = (document.process ?? {}) as Document;
  const parent = (process.parent ?? {}) as Document;
  const container = (document.container ?? {}) as Document;
  const host = (document.host ?? {}) as Document;
  const event = (document.event ?? {}) as Document;
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  const json = JSON.stringify(document);
  return db.event.create({
    data: {
      uploadId,
      line,
      contentHash: createHash("sha256").update(`${uploadId}:${line}:${json}`).digest("hex"),
      timestamp: new Date(text(document["@timestamp"]) ?? "2026-11-23T06:00:00Z"),
      category: "process",
      type: "start",
      action: text(event.action),
      containerId: text(container.id),
      hostName: text(host.name),
      entityId: text(process.entity_id),
      parentEntityId: text(parent.entity_id),
      processName: text(process.name),
      processExecutable: text(process.executable),
      document: json,
    },
  });
}

export async function seedAlert(
  db: PrismaClient,
  input: {
    ruleId: string;
    ruleName?: string;
    severity?: "low" | "medium" | "high" | "critical";
    riskScore?: number;
    eventIds: number[];
    timestamp?: Date;
    containerId?: string | null;
    containerName?: string | null;
    imageName?: string | null;
    hostName?: string | null;
    processName?: string | null;
    commandLine?: string | null;
    entityId?: string | null;
    entryLeaderEntityId?: string | null;
    sessionLeaderEntityId?: string | null;
  },
) {
  const { eventIds, ruleName, timestamp, severity = "medium", riskScore = 47, ...columns } = input;
  const alert = await db.alert.create({
    data: {
      ...columns,
      ruleName: ruleName ?? "Network tool in container",
      severity,
      severityRank: SEVERITY_RANK[severity],
      riskScore,
      dedupKey: `${input.ruleId}:${randomUUID()}`,
      timestamp: timestamp ?? new Date("2026-11-23T06:00:00Z"),
    },
  });
  await db.alertEvent.createMany({
    data: eventIds.map((eventId, position) => ({ alertId: alert.id, position, eventId })),
  });
  return alert;
}

/** An exec event for a process in a container; parent optional. */
export function processDocument(
  entityId: string,
  parentEntityId: string | null,
  executable: string,
  extra: Document = {},
): Document {
  const name = executable.split("/").pop() ?? executable;
  return {
    "@timestamp": "2026-11-23T06:00:00Z",
    event: { category: ["process"], type: ["start"], action: "exec" },
    host: { name: "node-1" },
    container: { id: "c0ffee", name: "web", image: { name: "nginx", tag: "1.27" } },
    process: {
      entity_id: entityId,
      executable,
      name,
      args: [executable],
      command_line: executable,
      ...(parentEntityId ? { parent: { entity_id: parentEntityId } } : {}),
    },
    ...extra,
  };
}
