-- One row per process instead of two random-key indexes on every event (see model Process in schema.prisma).

-- CreateTable
CREATE TABLE "Process" (
    "entityId" TEXT NOT NULL PRIMARY KEY,
    "parentEntityId" TEXT,
    "processName" TEXT,
    "processExecutable" TEXT,
    "timestamp" DATETIME NOT NULL,
    "eventId" INTEGER NOT NULL,
    CONSTRAINT "Process_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Backfill from the events already stored: each process's earliest event (ties: the first stored) ...
INSERT INTO "Process" ("entityId", "parentEntityId", "processName", "processExecutable", "timestamp", "eventId")
SELECT "entityId", "parentEntityId", "processName", "processExecutable", "timestamp", "id"
FROM (
    SELECT *, row_number() OVER (PARTITION BY "entityId" ORDER BY "timestamp", "id") AS "rank"
    FROM "Event"
    WHERE "entityId" IS NOT NULL
)
WHERE "rank" = 1;

-- ... with what it left empty taken from the process's next event that has it (the Event indexes still serve these).
UPDATE "Process" SET "parentEntityId" = (
    SELECT "parentEntityId" FROM "Event" WHERE "Event"."entityId" = "Process"."entityId" AND "parentEntityId" IS NOT NULL
    ORDER BY "timestamp", "id" LIMIT 1
) WHERE "parentEntityId" IS NULL;
UPDATE "Process" SET "processName" = (
    SELECT "processName" FROM "Event" WHERE "Event"."entityId" = "Process"."entityId" AND "processName" IS NOT NULL
    ORDER BY "timestamp", "id" LIMIT 1
) WHERE "processName" IS NULL;
UPDATE "Process" SET "processExecutable" = (
    SELECT "processExecutable" FROM "Event" WHERE "Event"."entityId" = "Process"."entityId" AND "processExecutable" IS NOT NULL
    ORDER BY "timestamp", "id" LIMIT 1
) WHERE "processExecutable" IS NULL;

-- Every stored event keeps its process's row, whoever stores it (the batch writer, tests, benchmarks): the earliest
-- event wins (ties: the one stored first), and a field that event left empty is filled from a later one. On the
-- right-hand side of the UPDATE, columns are the row's old values. The WHERE skips rewriting a row the event cannot
-- change, which is the common case: a process's later events (exec, end).
CREATE TRIGGER "Event_keeps_Process" AFTER INSERT ON "Event" WHEN NEW."entityId" IS NOT NULL
BEGIN
    INSERT INTO "Process" ("entityId", "parentEntityId", "processName", "processExecutable", "timestamp", "eventId")
    VALUES (NEW."entityId", NEW."parentEntityId", NEW."processName", NEW."processExecutable", NEW."timestamp", NEW."id")
    ON CONFLICT ("entityId") DO UPDATE SET
        "parentEntityId" = CASE WHEN excluded."timestamp" < "timestamp"
            THEN coalesce(excluded."parentEntityId", "parentEntityId")
            ELSE coalesce("parentEntityId", excluded."parentEntityId") END,
        "processName" = CASE WHEN excluded."timestamp" < "timestamp"
            THEN coalesce(excluded."processName", "processName")
            ELSE coalesce("processName", excluded."processName") END,
        "processExecutable" = CASE WHEN excluded."timestamp" < "timestamp"
            THEN coalesce(excluded."processExecutable", "processExecutable")
            ELSE coalesce("processExecutable", excluded."processExecutable") END,
        "eventId" = CASE WHEN excluded."timestamp" < "timestamp" THEN excluded."eventId" ELSE "eventId" END,
        "timestamp" = min("timestamp", excluded."timestamp")
    WHERE excluded."timestamp" < "timestamp"
        OR ("parentEntityId" IS NULL AND excluded."parentEntityId" IS NOT NULL)
        OR ("processName" IS NULL AND excluded."processName" IS NOT NULL)
        OR ("processExecutable" IS NULL AND excluded."processExecutable" IS NOT NULL);
END;

-- CreateIndex
CREATE INDEX "Process_parentEntityId_timestamp_idx" ON "Process"("parentEntityId", "timestamp");

-- CreateIndex
CREATE INDEX "Process_eventId_idx" ON "Process"("eventId");

-- DropIndex
DROP INDEX "Event_parentEntityId_idx";

-- DropIndex
DROP INDEX "Event_entityId_idx";
