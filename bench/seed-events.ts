/**
 * Seeds a fresh Keelwatch SQLite database with N generated events
 * (bench/generate.ts) for the investigation benchmark (issue 24): the app's
 * migrations make the schema, then the events go in as the server stores
 * them, through better-sqlite3 in large transactions: 2,000 documents per
 * compressed block (lib/db/events/block-codec.mjs) and a slim Event row each,
 * its columns made by the ingest's own toEventRow. A few alerts on network
 * tools spread over the range anchor the timeline. Going through HTTP ingest
 * would take over an hour for 1M events; this takes a few minutes.
 *
 * Times are stored as Prisma's SQLite adapter writes them (ISO with
 * "+00:00"), so the server reads them as its own.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { packBlock } from "../lib/db/events/block-codec.mjs";
import { applyMigrations } from "../lib/db/migrate";
import { eventTime, toEventRow } from "../lib/ingest/event-row";
import { generateEvents } from "./generate";

const DAY_MS = 86_400_000;
const EVENTS_PER_BLOCK = 2_000;
const EVENTS_PER_UPLOAD = 100_000;
const BLOCKS_PER_TRANSACTION = 25;
/** The generator's mean gap between events at timeScale 1, in milliseconds (prng.int(1, 40)). */
const MEAN_GAP_MS = 20.5;
const NETWORK_TOOLS = new Set(["nc", "nmap", "dig", "nslookup", "tcpdump", "telnet", "socat"]);

export const SEED_EVENTS_RULE_ID = "bench-hunt-network-tool";

export interface SeedEventsOptions {
  events: number;
  /** The events end a little before this time; they spread over spanDays before it. */
  now?: number;
  spanDays?: number;
  /** Alerts raised on network tools, evenly spread over the events. */
  alerts?: number;
  onProgress?: (written: number) => void;
}

export interface SeededAlert {
  id: string;
  timestamp: string;
  containerId: string;
}

export interface SeedEventsResult {
  events: number;
  blocks: number;
  /** The stored events' time range. */
  first: string;
  last: string;
  alerts: SeededAlert[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

interface PendingEvent {
  line: number;
  json: string;
  event: Record<string, unknown>;
  time: Date;
}

/** Writes the events into `file`, which must not hold a Keelwatch database with events yet. */
export function seedEventsDatabase(file: string, options: SeedEventsOptions): SeedEventsResult {
  const count = options.events;
  if (!Number.isSafeInteger(count) || count < 1)
    throw new Error(`seedEventsDatabase: events must be ≥ 1, not ${count}`);
  const now = options.now ?? Date.now();
  const spanMs = (options.spanDays ?? 30) * DAY_MS;
  // Stretch the generator's clock so that `count` events fill the span, ending an hour before now.
  const timeScale = Math.max(1, spanMs / (count * MEAN_GAP_MS));
  const start = now - spanMs - 3_600_000;
  const alertEvery = Math.max(1, Math.floor(count / Math.max(1, options.alerts ?? 20)));

  applyMigrations(file);
  const db = new Database(file);
  try {
    const existing = db.prepare(`SELECT COUNT(*) AS n FROM "Event"`).get() as { n: number };
    if (existing.n > 0) throw new Error(`seedEventsDatabase: ${file} already holds ${existing.n} events`);
    // Throw-away database: durability during the load buys nothing.
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144");
    // Secondary indexes dropped for the load and rebuilt after: SQLite then sorts once instead of updating them
    // per row. The end state is the schema the migrations made.
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = 'Event'`)
      .all() as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
    const result = writeEvents(db, { count, start, timeScale, alertEvery, now, onProgress: options.onProgress });
    for (const index of indexes) db.exec(index.sql);
    db.pragma("journal_mode = WAL");
    return result;
  } finally {
    db.close();
  }
}

function writeEvents(
  db: Database.Database,
  options: {
    count: number;
    start: number;
    timeScale: number;
    alertEvery: number;
    now: number;
    onProgress: ((written: number) => void) | undefined;
  },
): SeedEventsResult {
  const created = iso(options.start);
  db.prepare(
    `INSERT INTO "Rule" (id, name, description, query, severity, riskScore, origin, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, 'medium', 47, 'custom', ?, ?)`,
  ).run(
    SEED_EVENTS_RULE_ID,
    "Bench network tool",
    "Benchmark rule: a network tool run in a container.",
    `process where process.name in (${[...NETWORK_TOOLS].map((name) => `"${name}"`).join(", ")})`,
    created,
    created,
  );
  const insertUpload = db.prepare(
    `INSERT INTO "Upload" (id, fileName, format, status, eventsReceived, eventsAccepted, alertsCreated, createdAt, finishedAt)
     VALUES (?, ?, 'ecs', 'done', ?, ?, 0, ?, ?)`,
  );
  const insertBlock = db
    .prepare(
      `INSERT INTO "EventBlock" ("uploadId", "codec", "count", "liveCount", "rawBytes", "checksum", "data", "minTime", "maxTime")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
    )
    .pluck();
  const insertEvent = db.prepare(
    `INSERT INTO "Event" (id, uploadId, line, contentHash, timestamp, category, type, action, containerId, hostName,
       entityId, parentEntityId, processName, processExecutable, blockId, position, document)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`,
  );
  const insertAlert = db.prepare(
    `INSERT INTO "Alert" (id, ruleId, ruleName, severity, severityRank, riskScore, status, dedupKey, timestamp,
       createdAt, updatedAt, containerId, containerName, imageName, hostName, processName, processExecutable,
       commandLine, userName, entityId, entryLeaderEntityId, sessionLeaderEntityId, uploadId)
     VALUES (?, ?, 'Bench network tool', 'medium', 2, 47, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLink = db.prepare(`INSERT INTO "AlertEvent" (alertId, position, eventId) VALUES (?, 0, ?)`);

  const alerts: SeededAlert[] = [];
  let nextId = 1;
  let blocks = 0;
  let first = "";
  let last = "";
  let wantAlertAfter = 0;

  const writeBlock = (uploadId: string, pending: PendingEvent[]) => {
    const packed = packBlock(pending.map((item) => item.json));
    const times = pending.map((item) => iso(item.time.getTime()));
    const blockId = insertBlock.get(
      uploadId,
      packed.codec,
      pending.length,
      pending.length,
      packed.rawBytes,
      packed.checksum,
      packed.data,
      times[0],
      times.at(-1),
    ) as number;
    blocks++;
    for (const [position, item] of pending.entries()) {
      const id = nextId++;
      const hash = createHash("sha256").update(item.json).digest("hex");
      const row = toEventRow(item.event, item.line, hash, item.time, item.json);
      insertEvent.run(
        id,
        uploadId,
        item.line,
        hash,
        times[position],
        row.category,
        row.type,
        row.action,
        row.containerId,
        row.hostName,
        row.entityId,
        row.parentEntityId,
        row.processName,
        row.processExecutable,
        blockId,
        position,
      );
      if (id >= wantAlertAfter && row.action === "exec" && NETWORK_TOOLS.has(row.processName ?? "")) {
        alerts.push(writeAlert(item, id, uploadId, times[position] as string));
        wantAlertAfter = id + options.alertEvery;
      }
    }
  };

  const writeAlert = (item: PendingEvent, eventId: number, uploadId: string, time: string): SeededAlert => {
    const event = item.event as {
      container: { id: string; name: string; image: { name: string } };
      host: { name: string };
      process: {
        name: string;
        executable: string;
        command_line: string;
        entity_id: string;
        entry_leader: { entity_id: string };
        session_leader: { entity_id: string };
      };
      user: { name: string };
    };
    const id = `bench-alert-${eventId}`;
    insertAlert.run(
      id,
      SEED_EVENTS_RULE_ID,
      `${SEED_EVENTS_RULE_ID}:${eventId}`,
      time,
      time,
      time,
      event.container.id,
      event.container.name,
      event.container.image.name,
      event.host.name,
      event.process.name,
      event.process.executable,
      event.process.command_line,
      event.user.name,
      event.process.entity_id,
      event.process.entry_leader.entity_id,
      event.process.session_leader.entity_id,
      uploadId,
    );
    insertLink.run(id, eventId);
    return { id, timestamp: time, containerId: event.container.id };
  };

  const events = generateEvents({ start: options.start, timeScale: options.timeScale });
  let written = 0;
  while (written < options.count) {
    db.transaction(() => {
      for (let b = 0; b < BLOCKS_PER_TRANSACTION && written < options.count; b++) {
        const uploadIndex = Math.floor(written / EVENTS_PER_UPLOAD);
        const uploadId = `bench-events-${uploadIndex}`;
        const pending: PendingEvent[] = [];
        const inBlock = Math.min(
          EVENTS_PER_BLOCK,
          options.count - written,
          EVENTS_PER_UPLOAD * (uploadIndex + 1) - written,
        );
        for (let i = 0; i < inBlock; i++) {
          const event = events.next().value as Record<string, unknown>;
          const json = JSON.stringify(event);
          const time = eventTime(event) as Date;
          pending.push({ line: (written % EVENTS_PER_UPLOAD) + i + 1, json, event, time });
        }
        if (written % EVENTS_PER_UPLOAD === 0) {
          const inUpload = Math.min(EVENTS_PER_UPLOAD, options.count - written);
          const at = iso((pending[0] as PendingEvent).time.getTime());
          insertUpload.run(uploadId, `bench-events-${uploadIndex}.ndjson`, inUpload, inUpload, at, at);
        }
        first ||= iso((pending[0] as PendingEvent).time.getTime());
        last = iso((pending.at(-1) as PendingEvent).time.getTime());
        writeBlock(uploadId, pending);
        written += pending.length;
      }
    })();
    options.onProgress?.(written);
  }
  return { events: written, blocks, first, last, alerts };
}
