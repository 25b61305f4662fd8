-- sqlite: 20261206160000_detection_version 20261206170000_field_mapping_version
-- The SQLite migration detection_version, in PL/pgSQL: a counter that every change to what detection runs with
-- moves on (rules, exception lists and items, value lists). Sensor pushes keep their compiled rules and exceptions
-- while it stands still (lib/ingest/stream/detection-context.ts). Triggers, so that no write path, nor an operator's
-- SQL, can forget it; statement-level, since one move per statement is all a reader needs to notice (a statement
-- that changed no row moves it too, which only costs a reread). Every instance on the database reads the same row.
INSERT INTO "AppSetting" ("key", "value", "updatedAt")
VALUES ('detection.version', '0', now())
ON CONFLICT ("key") DO NOTHING;

CREATE FUNCTION "detection_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "AppSetting" SET "value" = ("value"::bigint + 1)::text, "updatedAt" = now() WHERE "key" = 'detection.version';
  RETURN NULL;
END $$;

CREATE TRIGGER "Rule_detection_version" AFTER INSERT OR UPDATE OR DELETE ON "Rule"
  FOR EACH STATEMENT EXECUTE FUNCTION "detection_version_bump"();
CREATE TRIGGER "RuleExceptionList_detection_version" AFTER INSERT OR UPDATE OR DELETE ON "RuleExceptionList"
  FOR EACH STATEMENT EXECUTE FUNCTION "detection_version_bump"();
CREATE TRIGGER "ExceptionList_detection_version" AFTER INSERT OR UPDATE OR DELETE ON "ExceptionList"
  FOR EACH STATEMENT EXECUTE FUNCTION "detection_version_bump"();
CREATE TRIGGER "ExceptionItem_detection_version" AFTER INSERT OR UPDATE OR DELETE ON "ExceptionItem"
  FOR EACH STATEMENT EXECUTE FUNCTION "detection_version_bump"();
CREATE TRIGGER "ValueList_detection_version" AFTER INSERT OR UPDATE OR DELETE ON "ValueList"
  FOR EACH STATEMENT EXECUTE FUNCTION "detection_version_bump"();
CREATE TRIGGER "ValueListItem_detection_version" AFTER INSERT OR UPDATE OR DELETE ON "ValueListItem"
  FOR EACH STATEMENT EXECUTE FUNCTION "detection_version_bump"();

-- The stored field mapping (Settings -> Field mapping) decides how rules compare fields, so a change to it moves
-- the counter too (the SQLite migration field_mapping_version). Only that key's rows: the counter's own row is an
-- AppSetting as well, and its update does not pass these conditions. (The same function serves row triggers: it
-- reads neither NEW nor OLD.)
CREATE TRIGGER "AppSetting_field_mapping_version_insert" AFTER INSERT ON "AppSetting"
  FOR EACH ROW WHEN (NEW."key" = 'eql.field_mapping') EXECUTE FUNCTION "detection_version_bump"();
CREATE TRIGGER "AppSetting_field_mapping_version_update" AFTER UPDATE ON "AppSetting"
  FOR EACH ROW WHEN (NEW."key" = 'eql.field_mapping' OR OLD."key" = 'eql.field_mapping')
  EXECUTE FUNCTION "detection_version_bump"();
CREATE TRIGGER "AppSetting_field_mapping_version_delete" AFTER DELETE ON "AppSetting"
  FOR EACH ROW WHEN (OLD."key" = 'eql.field_mapping') EXECUTE FUNCTION "detection_version_bump"();
