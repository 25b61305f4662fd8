import { prisma } from "@/lib/db/client";
import { EVENT_LOCATION_SELECT, type EventLocation, type EventReader, readEventDocuments } from "@/lib/db/events";
import { chunk } from "@/lib/db/sql";
import { IDS_PER_QUERY } from "./batch";
import type { SessionTreeRow } from "./tree";

/** What the session view shows of one process, read from its events. */
export interface ProcessDetails {
  name: string | null;
  executable: string | null;
  pid: number | null;
  args: string[] | null;
  commandLine: string | null;
  userName: string | null;
  workingDirectory: string | null;
  /** time of the process's end event, when one was stored */
  end: string | null;
  exitCode: number | null;
  /** why the process's events could not be read (damaged block), when they could not */
  unreadable: string | null;
}

/**
 * End events are looked for up to this long after the latest start of the processes asked about: events are
 * found by time (the event rows index time, not processes), so the window bounds what a page reads.
 */
export const END_EVENT_LOOKAHEAD_MS = 12 * 60 * 60 * 1000;

type EventHit = EventLocation & { entityId: string | null; action: string | null; timestamp: Date };

/**
 * Each process's details: arguments, user and working directory from its last
 * exec event (a fork carries its parent's arguments until the exec), else from
 * its earliest stored event; the end time and exit code from its first end
 * event. Documents are read through one EventReader, so each block is unpacked
 * once for the whole request.
 */
export async function readProcessDetails(
  rows: readonly SessionTreeRow[],
  reader: EventReader,
): Promise<Map<string, ProcessDetails>> {
  const stored = rows.filter((row): row is SessionTreeRow & { start: Date; eventId: number } => row.eventId !== null);
  const execOf = new Map<string, EventHit>();
  const endOf = new Map<string, EventHit>();
  for (const part of chunk(stored, IDS_PER_QUERY)) {
    const starts = part.map((row) => row.start.getTime());
    const hits = (await prisma().event.findMany({
      where: {
        entityId: { in: part.map((row) => row.entityId) },
        action: { in: ["exec", "end"] },
        timestamp: { gte: new Date(Math.min(...starts)), lte: new Date(Math.max(...starts) + END_EVENT_LOOKAHEAD_MS) },
      },
      select: { ...EVENT_LOCATION_SELECT, entityId: true, action: true, timestamp: true },
      orderBy: [{ timestamp: "asc" }, { id: "asc" }],
    })) as EventHit[];
    for (const hit of hits) {
      if (!hit.entityId) continue;
      if (hit.action === "exec") execOf.set(hit.entityId, hit);
      else if (!endOf.has(hit.entityId)) endOf.set(hit.entityId, hit);
    }
  }

  const texts = await reader.documents([...execOf.values(), ...endOf.values()]);
  const fallbackIds = stored.filter((row) => !execOf.has(row.entityId)).map((row) => row.eventId);
  const fallbackTexts = fallbackIds.length > 0 ? await readEventDocuments(fallbackIds, reader) : new Map();

  const details = new Map<string, ProcessDetails>();
  for (const row of rows) {
    const exec = execOf.get(row.entityId);
    const startText = exec ? texts.get(exec.id) : row.eventId !== null ? fallbackTexts.get(row.eventId) : undefined;
    const end = endOf.get(row.entityId);
    const endText = end ? texts.get(end.id) : undefined;
    details.set(row.entityId, detailsOf(row, startText, end ?? null, endText));
  }
  return details;
}

function detailsOf(
  row: SessionTreeRow,
  startText: string | Error | undefined,
  end: EventHit | null,
  endText: string | Error | undefined,
): ProcessDetails {
  const document = typeof startText === "string" ? parseObject(startText) : {};
  const process = asObject(field(document, "process")) ?? {};
  const args = asArray(process.args)?.filter((arg): arg is string => typeof arg === "string") ?? null;
  const endProcess = asObject(field(typeof endText === "string" ? parseObject(endText) : {}, "process")) ?? {};
  const exitCode = endProcess.exit_code ?? process.exit_code;
  const problem = [startText, endText].find((text): text is Error => text instanceof Error);
  return {
    name: text(process.name) ?? row.name,
    executable: text(process.executable) ?? row.executable,
    pid: typeof process.pid === "number" ? process.pid : null,
    args: args && args.length > 0 ? args : null,
    commandLine: text(process.command_line) ?? (args && args.length > 0 ? args.join(" ") : null),
    userName:
      text(field(document, "user.name")) ??
      text(field(process, "user.name")) ??
      text(field(document, "user.id")) ??
      text(field(process, "user.id")),
    workingDirectory: text(process.working_directory),
    end: end ? end.timestamp.toISOString() : null,
    exitCode: typeof exitCode === "number" ? exitCode : null,
    unreadable: problem ? problem.message : null,
  };
}

type JsonObject = Record<string, unknown>;

function parseObject(json: string): JsonObject {
  try {
    return asObject(JSON.parse(json)) ?? {};
  } catch {
    return {};
  }
}

function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** A nested field by its dotted name, nested ({"user": {"name"}}) or flat ({"user.name"}) as exporters write it. */
function field(root: JsonObject, name: string): unknown {
  if (name in root) return root[name];
  const dot = name.indexOf(".");
  if (dot < 0) return undefined;
  const head = asObject(root[name.slice(0, dot)]);
  return head ? field(head, name.slice(dot + 1)) : undefined;
}
