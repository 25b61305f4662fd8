-- A counter that every change to what detection runs with moves on (rules, exception lists and items,
-- value lists). Sensor pushes keep their compiled rules and exceptions while it stands still
-- (lib/ingest/stream/detection-context.ts), instead of reading them again for every push. Triggers, so
-- that no write path, nor an operator's SQL, can forget it.
INSERT INTO "AppSetting" ("key", "value", "updatedAt")
VALUES ('detection.version', '0', strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
ON CONFLICT ("key") DO NOTHING;

CREATE TRIGGER "Rule_detection_version_insert" AFTER INSERT ON "Rule"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "Rule_detection_version_update" AFTER UPDATE ON "Rule"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "Rule_detection_version_delete" AFTER DELETE ON "Rule"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "RuleExceptionList_detection_version_insert" AFTER INSERT ON "RuleExceptionList"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "RuleExceptionList_detection_version_update" AFTER UPDATE ON "RuleExceptionList"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "RuleExceptionList_detection_version_delete" AFTER DELETE ON "RuleExceptionList"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ExceptionList_detection_version_insert" AFTER INSERT ON "ExceptionList"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ExceptionList_detection_version_update" AFTER UPDATE ON "ExceptionList"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ExceptionList_detection_version_delete" AFTER DELETE ON "ExceptionList"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ExceptionItem_detection_version_insert" AFTER INSERT ON "ExceptionItem"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ExceptionItem_detection_version_update" AFTER UPDATE ON "ExceptionItem"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ExceptionItem_detection_version_delete" AFTER DELETE ON "ExceptionItem"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ValueList_detection_version_insert" AFTER INSERT ON "ValueList"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ValueList_detection_version_update" AFTER UPDATE ON "ValueList"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ValueList_detection_version_delete" AFTER DELETE ON "ValueList"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ValueListItem_detection_version_insert" AFTER INSERT ON "ValueListItem"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ValueListItem_detection_version_update" AFTER UPDATE ON "ValueListItem"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "ValueListItem_detection_version_delete" AFTER DELETE ON "ValueListItem"
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;
