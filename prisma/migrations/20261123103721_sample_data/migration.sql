-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Upload" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "fileName" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'receiving',
    "bytesReceived" INTEGER NOT NULL DEFAULT 0,
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
    "sample" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Upload" ("alertsCreated", "alertsSuppressed", "bytesReceived", "createdAt", "createdById", "errorCount", "errors", "eventsAccepted", "eventsDuplicate", "eventsReceived", "eventsRejected", "failureReason", "fileName", "finishedAt", "format", "id", "report", "status") SELECT "alertsCreated", "alertsSuppressed", "bytesReceived", "createdAt", "createdById", "errorCount", "errors", "eventsAccepted", "eventsDuplicate", "eventsReceived", "eventsRejected", "failureReason", "fileName", "finishedAt", "format", "id", "report", "status" FROM "Upload";
DROP TABLE "Upload";
ALTER TABLE "new_Upload" RENAME TO "Upload";
CREATE INDEX "Upload_createdAt_idx" ON "Upload"("createdAt");
CREATE INDEX "Upload_sample_idx" ON "Upload"("sample");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
