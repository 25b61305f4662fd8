-- The stored field mapping (Settings -> Field mapping) decides how rules compare fields, so a change to it
-- moves the detection.version counter too (see 20261206160000_detection_version). Only that key's rows:
-- the counter's own row is an AppSetting as well.
CREATE TRIGGER "AppSetting_field_mapping_version_insert" AFTER INSERT ON "AppSetting"
WHEN NEW."key" = 'eql.field_mapping'
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "AppSetting_field_mapping_version_update" AFTER UPDATE ON "AppSetting"
WHEN NEW."key" = 'eql.field_mapping' OR OLD."key" = 'eql.field_mapping'
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;

CREATE TRIGGER "AppSetting_field_mapping_version_delete" AFTER DELETE ON "AppSetting"
WHEN OLD."key" = 'eql.field_mapping'
BEGIN
  UPDATE "AppSetting" SET "value" = CAST(CAST("value" AS INTEGER) + 1 AS TEXT),
    "updatedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE "key" = 'detection.version';
END;
