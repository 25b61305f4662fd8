import type { ProcessInfo } from "../enrich/ancestry";
import { prisma } from "./client";
import { chunk, rowsPerStatement } from "./sql";

/** Stored processes by entity id (the Process table), for rebuilding ancestry across uploads. */
export async function findStoredProcesses(entityIds: string[]): Promise<Map<string, ProcessInfo>> {
  const found = new Map<string, ProcessInfo>();
  for (const part of chunk(entityIds, rowsPerStatement(1))) {
    const rows = await prisma().process.findMany({
      where: { entityId: { in: part } },
      select: { entityId: true, parentEntityId: true, processExecutable: true, processName: true },
    });
    for (const row of rows) {
      found.set(row.entityId, {
        entityId: row.entityId,
        parentEntityId: row.parentEntityId,
        executable: row.processExecutable,
        name: row.processName,
      });
    }
  }
  return found;
}
