import { randomUUID } from "node:crypto";
import type { Prisma } from "../generated/prisma/client";
import { chunk, placeholders, rowsPerStatement } from "./sql";

/** An alert about to be stored: the rule as it was, the event(s), and context columns for filtering. */
export interface AlertDraft {
  ruleId: string;
  ruleName: string;
  severity: string;
  severityRank: number;
  riskScore: number;
  dedupKey: string;
  timestamp: Date;
  containerId: string | null;
  containerName: string | null;
  imageName: string | null;
  hostName: string | null;
  processName: string | null;
  processExecutable: string | null;
  commandLine: string | null;
  userName: string | null;
  entityId: string | null;
  entryLeaderEntityId: string | null;
  sessionLeaderEntityId: string | null;
  /** content hashes of the triggering events, in sequence order (they are stored before the alert) */
  eventHashes: string[];
}

const COLUMNS = [
  "id",
  "ruleId",
  "ruleName",
  "severity",
  "severityRank",
  "riskScore",
  "status",
  "dedupKey",
  "timestamp",
  "createdAt",
  "updatedAt",
  "version",
  "containerId",
  "containerName",
  "imageName",
  "hostName",
  "processName",
  "processExecutable",
  "commandLine",
  "userName",
  "entityId",
  "entryLeaderEntityId",
  "sessionLeaderEntityId",
  "uploadId",
] as const;

/**
 * Stores alerts inside the caller's transaction. A draft whose dedup key is
 * already stored (the same rule on the same events) is skipped. Returns the
 * dedup keys that became new alerts.
 */
export async function insertAlerts(
  tx: Prisma.TransactionClient,
  uploadId: string | null,
  drafts: readonly AlertDraft[],
): Promise<Set<string>> {
  const created = new Set<string>();
  const now = new Date();
  const quoted = COLUMNS.map((column) => `"${column}"`).join(", ");
  const byKey = new Map(drafts.map((draft) => [draft.dedupKey, draft]));
  const newAlertIds = new Map<string, string>();
  for (const part of chunk([...byKey.values()], rowsPerStatement(COLUMNS.length))) {
    const values = part.flatMap((draft) => {
      const id = randomUUID();
      newAlertIds.set(draft.dedupKey, id);
      return [
        id,
        draft.ruleId,
        draft.ruleName,
        draft.severity,
        draft.severityRank,
        draft.riskScore,
        "open",
        draft.dedupKey,
        draft.timestamp,
        now,
        now,
        1,
        draft.containerId,
        draft.containerName,
        draft.imageName,
        draft.hostName,
        draft.processName,
        draft.processExecutable,
        draft.commandLine,
        draft.userName,
        draft.entityId,
        draft.entryLeaderEntityId,
        draft.sessionLeaderEntityId,
        uploadId,
      ];
    });
    const inserted = await tx.$queryRawUnsafe<{ dedupKey: string }[]>(
      `INSERT INTO "Alert" (${quoted}) VALUES ${placeholders(part.length, COLUMNS.length)}
       ON CONFLICT DO NOTHING RETURNING "dedupKey"`,
      ...values,
    );
    for (const row of inserted) created.add(row.dedupKey);
  }
  const wantedHashes = [...new Set([...created].flatMap((key) => byKey.get(key)!.eventHashes))];
  const eventIds = new Map<string, number>();
  for (const part of chunk(wantedHashes, rowsPerStatement(1))) {
    const rows = await tx.event.findMany({
      where: { contentHash: { in: part } },
      select: { id: true, contentHash: true },
    });
    for (const row of rows) eventIds.set(row.contentHash, row.id);
  }
  const links = [...created].flatMap((key) => {
    const draft = byKey.get(key)!;
    const alertId = newAlertIds.get(key)!;
    return draft.eventHashes.flatMap((hash, position) => {
      const eventId = eventIds.get(hash);
      return eventId === undefined ? [] : [{ alertId, position, eventId }];
    });
  });
  for (const part of chunk(links, rowsPerStatement(3))) {
    await tx.alertEvent.createMany({ data: part });
  }
  return created;
}
