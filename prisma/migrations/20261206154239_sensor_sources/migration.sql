-- CreateTable
CREATE TABLE "Source" (
    "tokenId" TEXT NOT NULL PRIMARY KEY,
    "uploadId" TEXT NOT NULL,
    "firstSeenAt" DATETIME,
    "lastSeenAt" DATETIME,
    "meanGapSeconds" REAL,
    "formats" TEXT NOT NULL DEFAULT '[]',
    "latestErrors" TEXT NOT NULL DEFAULT '[]',
    "pushes" INTEGER NOT NULL DEFAULT 0,
    "events" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "alerts" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Source_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SourceActivity" (
    "tokenId" TEXT NOT NULL,
    "minute" DATETIME NOT NULL,
    "pushes" INTEGER NOT NULL DEFAULT 0,
    "events" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "alerts" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("tokenId", "minute"),
    CONSTRAINT "SourceActivity_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Source" ("tokenId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (in place: a rebuilt Upload would copy every row and trip the triggers that read it)
ALTER TABLE "Upload" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'file';

-- The Uploads page lists files only, newest first
DROP INDEX "Upload_createdAt_idx";
CREATE INDEX "Upload_kind_createdAt_idx" ON "Upload"("kind", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Source_uploadId_key" ON "Source"("uploadId");
