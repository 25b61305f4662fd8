-- Upload.bytesReceived as a 64-bit number on both databases: PostgreSQL's integer stopped at 2 GiB, so a larger
-- upload, or a sensor stream's running total after a few days, failed (SQLite's INTEGER always held 64 bits: only
-- the declared type changes, so that both generated clients read it as the same BigInt).
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Upload" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "fileName" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'receiving',
    "kind" TEXT NOT NULL DEFAULT 'file',
    "bytesReceived" BIGINT NOT NULL DEFAULT 0,
    "eventsReceived" INTEGER NOT NULL DEFAULT 0,
    "eventsAccepted" INTEGER NOT NULL DEFAULT 0,
    "eventsRejected" INTEGER NOT NULL DEFAULT 0,
    "eventsDuplicate" INTEGER NOT NULL DEFAULT 0,
    "alertsCreated" INTEGER NOT NULL DEFAULT 0,
    "alertsSuppressed" INTEGER NOT NULL DEFAULT 0,
    "errors" TEXT NOT NULL DEFAULT '[]',
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "report" TEXT,
    "failureReason" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "sample" BOOLEAN NOT NULL DEFAULT false,
    "apiTokenId" TEXT,
    "leaseHolder" TEXT,
    "leaseExpiresAt" DATETIME
);
INSERT INTO "new_Upload" ("alertsCreated", "alertsSuppressed", "apiTokenId", "bytesReceived", "createdAt", "createdById", "errorCount", "errors", "eventsAccepted", "eventsDuplicate", "eventsReceived", "eventsRejected", "failureReason", "fileName", "finishedAt", "format", "id", "kind", "leaseExpiresAt", "leaseHolder", "report", "sample", "status") SELECT "alertsCreated", "alertsSuppressed", "apiTokenId", "bytesReceived", "createdAt", "createdById", "errorCount", "errors", "eventsAccepted", "eventsDuplicate", "eventsReceived", "eventsRejected", "failureReason", "fileName", "finishedAt", "format", "id", "kind", "leaseExpiresAt", "leaseHolder", "report", "sample", "status" FROM "Upload";
DROP TABLE "Upload";
ALTER TABLE "new_Upload" RENAME TO "Upload";
CREATE INDEX "Upload_kind_createdAt_idx" ON "Upload"("kind", "createdAt");
CREATE INDEX "Upload_sample_idx" ON "Upload"("sample");
CREATE INDEX "Upload_status_leaseExpiresAt_idx" ON "Upload"("status", "leaseExpiresAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
