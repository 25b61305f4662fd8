-- Events stored in compressed blocks (model EventBlock in schema.prisma, lib/db/events). Written by hand: Prisma's
-- diff rebuilds the whole Event table to add a column with a foreign key, a full copy of every document; here the
-- columns are added in place, and lib/db/events/convert.ts moves existing documents into blocks in batches.

-- CreateTable
CREATE TABLE "EventBlock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uploadId" TEXT NOT NULL,
    "codec" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "liveCount" INTEGER NOT NULL,
    "rawBytes" INTEGER NOT NULL,
    "checksum" INTEGER NOT NULL,
    "data" BLOB NOT NULL,
    "minTime" DATETIME NOT NULL,
    "maxTime" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EventBlock_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable
ALTER TABLE "Event" ADD COLUMN "blockId" INTEGER REFERENCES "EventBlock" ("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Event" ADD COLUMN "position" INTEGER;

-- CreateIndex
CREATE INDEX "Event_blockId_position_idx" ON "Event"("blockId", "position");

-- CreateIndex
CREATE INDEX "EventBlock_maxTime_idx" ON "EventBlock"("maxTime");

-- CreateIndex
CREATE INDEX "EventBlock_uploadId_idx" ON "EventBlock"("uploadId");
