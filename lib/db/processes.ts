import type { ProcessInfo } from "../enrich/ancestry";
import { prisma } from "./client";
import { chunk, rowsPerStatement } from "./sql";

/** Stored processes by entity id, for rebuilding ancestry across uploads. */
export async function findStoredProcesses(entityIds: string[]): Promise<Map<string, ProcessInfo>> {
  const found = new Map<string, ProcessInfo>();
  for (const part of chunk(entityIds, rowsPerStatement(1))) {
    const rows = await prisma().event.findMany({
      where: { entityId: { in: part } },
      select: { entityId: true, parentEntityId: true, processExecutable: true, processName: true },
      orderBy: { timestamp: "asc" },
    });
    for (const row of rows) {
      if (!row.entityId) continue;
      const previous = found.get(row.entityId);
      found.set(row.entityId, {
        entityId: row.entityId,
        parentEntityId: previous?.parentEntityId ?? row.parentEntityId,
        executable: previous?.executable ?? row.processExecutable,
        name: previous?.name ?? row.processName,
      });
    }
  }
  return found;
}
