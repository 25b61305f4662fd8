-- CreateTable
CREATE TABLE "AlertRollup" (
    "hour" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT,
    "count" INTEGER NOT NULL DEFAULT 0,
    "minutes" REAL NOT NULL DEFAULT 0,

    PRIMARY KEY ("hour", "dimension", "key")
);

-- CreateIndex
CREATE INDEX "AlertRollup_dimension_hour_idx" ON "AlertRollup"("dimension", "hour");

-- Triggers keep AlertRollup equal to the Alert table whatever writes it (ingest,
-- triage, bulk actions, exceptions closing alerts, deletions): each alert adds
-- one to its hour's severity, status, rule, image and container counts (and its
-- day's container count: a month has too many container-hours to add up fast),
-- and its minutes to acknowledgement and closing once it has them.
CREATE TRIGGER "Alert_rollup_insert" AFTER INSERT ON "Alert" BEGIN
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'severity', NEW."severity", NULL, +1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'status', NEW."status", NULL, +1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'rule', NEW."ruleId", NEW."ruleName", +1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "label" = excluded."label";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'image', NEW."imageName", NULL, +1, 0 WHERE NEW."imageName" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'container', NEW."containerId", NEW."containerName", +1, 0 WHERE NEW."containerId" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "label" = excluded."label";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 10), 'container-day', NEW."containerId", NEW."containerName", +1, 0 WHERE NEW."containerId" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "label" = excluded."label";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'ack', '', NULL, +1, +(julianday(NEW."acknowledgedAt") - julianday(NEW."createdAt")) * 1440 WHERE NEW."acknowledgedAt" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "minutes" = "minutes" + excluded."minutes";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'close', '', NULL, +1, +(julianday(NEW."closedAt") - julianday(NEW."createdAt")) * 1440 WHERE NEW."closedAt" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "minutes" = "minutes" + excluded."minutes";
END;

CREATE TRIGGER "Alert_rollup_delete" AFTER DELETE ON "Alert" BEGIN
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'severity', OLD."severity", NULL, -1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'status', OLD."status", NULL, -1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'rule', OLD."ruleId", NULL, -1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'image', OLD."imageName", NULL, -1, 0 WHERE OLD."imageName" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'container', OLD."containerId", NULL, -1, 0 WHERE OLD."containerId" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 10), 'container-day', OLD."containerId", NULL, -1, 0 WHERE OLD."containerId" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'ack', '', NULL, -1, -(julianday(OLD."acknowledgedAt") - julianday(OLD."createdAt")) * 1440 WHERE OLD."acknowledgedAt" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "minutes" = "minutes" + excluded."minutes";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'close', '', NULL, -1, -(julianday(OLD."closedAt") - julianday(OLD."createdAt")) * 1440 WHERE OLD."closedAt" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "minutes" = "minutes" + excluded."minutes";
END;

CREATE TRIGGER "Alert_rollup_update" AFTER UPDATE OF "timestamp", "severity", "status", "ruleId", "ruleName", "imageName", "containerId", "containerName", "acknowledgedAt", "closedAt", "createdAt" ON "Alert" BEGIN
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'severity', OLD."severity", NULL, -1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'status', OLD."status", NULL, -1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'rule', OLD."ruleId", NULL, -1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'image', OLD."imageName", NULL, -1, 0 WHERE OLD."imageName" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'container', OLD."containerId", NULL, -1, 0 WHERE OLD."containerId" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 10), 'container-day', OLD."containerId", NULL, -1, 0 WHERE OLD."containerId" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'ack', '', NULL, -1, -(julianday(OLD."acknowledgedAt") - julianday(OLD."createdAt")) * 1440 WHERE OLD."acknowledgedAt" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "minutes" = "minutes" + excluded."minutes";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(OLD."timestamp", 1, 13), 'close', '', NULL, -1, -(julianday(OLD."closedAt") - julianday(OLD."createdAt")) * 1440 WHERE OLD."closedAt" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "minutes" = "minutes" + excluded."minutes";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'severity', NEW."severity", NULL, +1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'status', NEW."status", NULL, +1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'rule', NEW."ruleId", NEW."ruleName", +1, 0 WHERE true
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "label" = excluded."label";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'image', NEW."imageName", NULL, +1, 0 WHERE NEW."imageName" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'container', NEW."containerId", NEW."containerName", +1, 0 WHERE NEW."containerId" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "label" = excluded."label";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 10), 'container-day', NEW."containerId", NEW."containerName", +1, 0 WHERE NEW."containerId" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "label" = excluded."label";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'ack', '', NULL, +1, +(julianday(NEW."acknowledgedAt") - julianday(NEW."createdAt")) * 1440 WHERE NEW."acknowledgedAt" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "minutes" = "minutes" + excluded."minutes";
  INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
    SELECT substr(NEW."timestamp", 1, 13), 'close', '', NULL, +1, +(julianday(NEW."closedAt") - julianday(NEW."createdAt")) * 1440 WHERE NEW."closedAt" IS NOT NULL
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = "count" + excluded."count", "minutes" = "minutes" + excluded."minutes";
END;

-- Alerts stored before this migration.
INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
SELECT substr("timestamp", 1, 13), 'severity', "severity", NULL, COUNT(*), 0 FROM "Alert" GROUP BY 1, 3;
INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
SELECT substr("timestamp", 1, 13), 'status', "status", NULL, COUNT(*), 0 FROM "Alert" GROUP BY 1, 3;
INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
SELECT substr("timestamp", 1, 13), 'rule', "ruleId", MAX("ruleName"), COUNT(*), 0 FROM "Alert" GROUP BY 1, 3;
INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
SELECT substr("timestamp", 1, 13), 'image', "imageName", NULL, COUNT(*), 0 FROM "Alert" WHERE "imageName" IS NOT NULL GROUP BY 1, 3;
INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
SELECT substr("timestamp", 1, 13), 'container', "containerId", MAX("containerName"), COUNT(*), 0 FROM "Alert" WHERE "containerId" IS NOT NULL GROUP BY 1, 3;
INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
SELECT substr("timestamp", 1, 10), 'container-day', "containerId", MAX("containerName"), COUNT(*), 0 FROM "Alert" WHERE "containerId" IS NOT NULL GROUP BY 1, 3;
INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
SELECT substr("timestamp", 1, 13), 'ack', '', NULL, COUNT(*), SUM((julianday("acknowledgedAt") - julianday("createdAt")) * 1440) FROM "Alert" WHERE "acknowledgedAt" IS NOT NULL GROUP BY 1, 3;
INSERT INTO "AlertRollup" ("hour", "dimension", "key", "label", "count", "minutes")
SELECT substr("timestamp", 1, 13), 'close', '', NULL, COUNT(*), SUM((julianday("closedAt") - julianday("createdAt")) * 1440) FROM "Alert" WHERE "closedAt" IS NOT NULL GROUP BY 1, 3;
