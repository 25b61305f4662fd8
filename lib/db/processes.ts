import type { ProcessInfo } from "../enrich/ancestry";
import { prisma } from "./client";
import { dialect } from "./dialect";
import { chunk, rowsPerStatement } from "./sql";

/** Stored processes by entity id (the Process table), for rebuilding ancestry across uploads. */
export async function findStoredProcesses(entityIds: string[]): Promise<Map<string, ProcessInfo>> {
  const found = new Map<string, ProcessInfo>();
  // Keyed by the ids asked for: a stored id may be written differently (NUL on PostgreSQL, dialect().storedText).
  const { storedText } = dialect();
  for (const part of chunk(entityIds, rowsPerStatement(1))) {
    const rows = await prisma().process.findMany({
      where: { entityId: { in: part } },
      select: { entityId: true, parentEntityId: true, processExecutable: true, processName: true },
    });
    const byStored = new Map(rows.map((row) => [row.entityId, row]));
    for (const entityId of part) {
      const row = byStored.get(storedText(entityId));
      if (!row) continue;
      found.set(entityId, {
        entityId,
        parentEntityId: row.parentEntityId,
        executable: row.processExecutable,
        name: row.processName,
      });
    }
  }
  return found;
}
