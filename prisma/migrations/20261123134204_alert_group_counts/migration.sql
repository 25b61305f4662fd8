-- CreateTable
CREATE TABLE "AlertGroupCount" (
    "dimension" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "hasKey" BOOLEAN NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("dimension", "status", "hasKey", "key")
);

-- Triggers keep the counts equal to the Alert table whatever writes it (ingest,
-- triage, bulk actions, exceptions, deletions). An update moves an alert's counts
-- only when one of the counted columns really changed. (WHERE true: SQLite needs
-- it to read ON CONFLICT after INSERT … SELECT.)
CREATE TRIGGER "Alert_group_count_insert" AFTER INSERT ON "Alert" BEGIN
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'rule', NEW."status", 1, NEW."ruleId", +1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'container', NEW."status", NEW."containerId" IS NOT NULL, COALESCE(NEW."containerId", ''), +1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'host', NEW."status", NEW."hostName" IS NOT NULL, COALESCE(NEW."hostName", ''), +1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
END;

CREATE TRIGGER "Alert_group_count_delete" AFTER DELETE ON "Alert" BEGIN
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'rule', OLD."status", 1, OLD."ruleId", -1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'container', OLD."status", OLD."containerId" IS NOT NULL, COALESCE(OLD."containerId", ''), -1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'host', OLD."status", OLD."hostName" IS NOT NULL, COALESCE(OLD."hostName", ''), -1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
END;

CREATE TRIGGER "Alert_group_count_update" AFTER UPDATE OF "status", "ruleId", "containerId", "hostName" ON "Alert"
WHEN OLD."status" IS NOT NEW."status" OR OLD."ruleId" IS NOT NEW."ruleId"
  OR OLD."containerId" IS NOT NEW."containerId" OR OLD."hostName" IS NOT NEW."hostName" BEGIN
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'rule', OLD."status", 1, OLD."ruleId", -1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'container', OLD."status", OLD."containerId" IS NOT NULL, COALESCE(OLD."containerId", ''), -1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'host', OLD."status", OLD."hostName" IS NOT NULL, COALESCE(OLD."hostName", ''), -1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'rule', NEW."status", 1, NEW."ruleId", +1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'container', NEW."status", NEW."containerId" IS NOT NULL, COALESCE(NEW."containerId", ''), +1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
    SELECT 'host', NEW."status", NEW."hostName" IS NOT NULL, COALESCE(NEW."hostName", ''), +1 WHERE true
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = "count" + excluded."count";
END;

-- Count the alerts already stored (each read from its (status, x) index).
INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
  SELECT 'rule', "status", 1, "ruleId", COUNT(*) FROM "Alert" GROUP BY "status", "ruleId";
INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
  SELECT 'container', "status", "containerId" IS NOT NULL, COALESCE("containerId", ''), COUNT(*) FROM "Alert" GROUP BY "status", "containerId";
INSERT INTO "AlertGroupCount" ("dimension", "status", "hasKey", "key", "count")
  SELECT 'host', "status", "hostName" IS NOT NULL, COALESCE("hostName", ''), COUNT(*) FROM "Alert" GROUP BY "status", "hostName";
