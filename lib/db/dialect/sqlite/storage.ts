import fs from "node:fs";
import type { PrismaClient } from "../../../generated/prisma/client";

/** Bytes on disk: the database file and its WAL. */
export function sqliteDiskBytes(file: string): number {
  return fileSize(file) + fileSize(`${file}-wal`);
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Bytes the database's pages hold, its free pages excluded (SQLite reuses them before the file grows): what the
 * retention size limit compares with. The writer thread measures the same with maintenance.mjs's usedBytes.
 */
export async function sqliteUsedBytes(db: PrismaClient): Promise<number> {
  const [pages] = await db.$queryRawUnsafe<{ page_count: number | bigint }[]>("PRAGMA page_count");
  const [free] = await db.$queryRawUnsafe<{ freelist_count: number | bigint }[]>("PRAGMA freelist_count");
  const [size] = await db.$queryRawUnsafe<{ page_size: number | bigint }[]>("PRAGMA page_size");
  return (Number(pages?.page_count ?? 0) - Number(free?.freelist_count ?? 0)) * Number(size?.page_size ?? 0);
}
