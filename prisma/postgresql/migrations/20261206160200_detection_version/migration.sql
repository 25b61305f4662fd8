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
