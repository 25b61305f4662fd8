-- sqlite: 20261123113342_alert_rollup 20261123134204_alert_group_counts 20261123190449_process_table
-- sqlite: 20261206124524_notifications
-- What the SQLite migrations keep with SQLite triggers, kept here by PL/pgSQL triggers, whatever writes the rows
-- (the batch writer, Prisma, tests, another app instance), in the writing transaction:
--   alert_rollup          -> "AlertRollup": the dashboard's counts per hour (and container-day) of event time
--   alert_group_counts    -> "AlertGroupCount": the alert list's totals and group-by counts per status
--   process_table         -> "Process": one row per process, from its earliest stored event
--   notifications         -> "NotificationOutbox": one row per new alert while a notification rule is enabled
-- (alert_search's FTS5 table has no counterpart: the GIN index Alert_search_trgm_idx is kept by PostgreSQL itself.)
--
-- Hours are the UTC text SQLite's triggers cut from their ISO-8601 timestamps ("2026-11-23T08", days "2026-11-23"),
-- so lib/db/dashboard.ts reads both databases alike.

-- ------------------------------------------------------------------ AlertRollup

-- Adds (delta = 1) or takes away (delta = -1) one alert's counts. Labels follow the newest alert added, as in SQLite.
CREATE FUNCTION "Alert_rollup_apply"(a "Alert", delta integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  bucket_hour text := to_char(a."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24');
  bucket_day text := to_char(a."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD');
BEGIN
  INSERT INTO "AlertRollup" AS r ("hour", "dimension", "key", "label", "count", "minutes")
    VALUES (bucket_hour, 'severity', a."severity", NULL, delta, 0)
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = r."count" + excluded."count";
  INSERT INTO "AlertRollup" AS r ("hour", "dimension", "key", "label", "count", "minutes")
    VALUES (bucket_hour, 'status', a."status", NULL, delta, 0)
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = r."count" + excluded."count";
  INSERT INTO "AlertRollup" AS r ("hour", "dimension", "key", "label", "count", "minutes")
    VALUES (bucket_hour, 'rule', a."ruleId", CASE WHEN delta > 0 THEN a."ruleName" END, delta, 0)
    ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = r."count" + excluded."count",
      "label" = CASE WHEN delta > 0 THEN excluded."label" ELSE r."label" END;
  IF a."imageName" IS NOT NULL THEN
    INSERT INTO "AlertRollup" AS r ("hour", "dimension", "key", "label", "count", "minutes")
      VALUES (bucket_hour, 'image', a."imageName", NULL, delta, 0)
      ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = r."count" + excluded."count";
  END IF;
  IF a."containerId" IS NOT NULL THEN
    INSERT INTO "AlertRollup" AS r ("hour", "dimension", "key", "label", "count", "minutes")
      VALUES (bucket_hour, 'container', a."containerId", CASE WHEN delta > 0 THEN a."containerName" END, delta, 0)
      ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = r."count" + excluded."count",
        "label" = CASE WHEN delta > 0 THEN excluded."label" ELSE r."label" END;
    INSERT INTO "AlertRollup" AS r ("hour", "dimension", "key", "label", "count", "minutes")
      VALUES (bucket_day, 'container-day', a."containerId", CASE WHEN delta > 0 THEN a."containerName" END, delta, 0)
      ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = r."count" + excluded."count",
        "label" = CASE WHEN delta > 0 THEN excluded."label" ELSE r."label" END;
  END IF;
  IF a."acknowledgedAt" IS NOT NULL THEN
    INSERT INTO "AlertRollup" AS r ("hour", "dimension", "key", "label", "count", "minutes")
      VALUES (bucket_hour, 'ack', '', NULL, delta, delta * EXTRACT(EPOCH FROM a."acknowledgedAt" - a."createdAt") / 60)
      ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = r."count" + excluded."count",
        "minutes" = r."minutes" + excluded."minutes";
  END IF;
  IF a."closedAt" IS NOT NULL THEN
    INSERT INTO "AlertRollup" AS r ("hour", "dimension", "key", "label", "count", "minutes")
      VALUES (bucket_hour, 'close', '', NULL, delta, delta * EXTRACT(EPOCH FROM a."closedAt" - a."createdAt") / 60)
      ON CONFLICT ("hour", "dimension", "key") DO UPDATE SET "count" = r."count" + excluded."count",
        "minutes" = r."minutes" + excluded."minutes";
  END IF;
END $$;

CREATE FUNCTION "Alert_rollup_trigger"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN PERFORM "Alert_rollup_apply"(OLD, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM "Alert_rollup_apply"(NEW, 1); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Alert_rollup_insert_delete" AFTER INSERT OR DELETE ON "Alert"
  FOR EACH ROW EXECUTE FUNCTION "Alert_rollup_trigger"();

-- Only when a counted column really changed (SQLite's trigger moves the counts out and back in for any SET of them).
CREATE TRIGGER "Alert_rollup_update" AFTER UPDATE OF "timestamp", "severity", "status", "ruleId", "ruleName",
  "imageName", "containerId", "containerName", "acknowledgedAt", "closedAt", "createdAt" ON "Alert"
  FOR EACH ROW WHEN (
    OLD."timestamp" IS DISTINCT FROM NEW."timestamp" OR OLD."severity" IS DISTINCT FROM NEW."severity"
    OR OLD."status" IS DISTINCT FROM NEW."status" OR OLD."ruleId" IS DISTINCT FROM NEW."ruleId"
    OR OLD."ruleName" IS DISTINCT FROM NEW."ruleName" OR OLD."imageName" IS DISTINCT FROM NEW."imageName"
    OR OLD."containerId" IS DISTINCT FROM NEW."containerId" OR OLD."containerName" IS DISTINCT FROM NEW."containerName"
    OR OLD."acknowledgedAt" IS DISTINCT FROM NEW."acknowledgedAt" OR OLD."closedAt" IS DISTINCT FROM NEW."closedAt"
    OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt")
  EXECUTE FUNCTION "Alert_rollup_trigger"();

-- ------------------------------------------------------------------ AlertGroupCount

CREATE FUNCTION "Alert_group_count_apply"(a "Alert", delta integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AlertGroupCount" AS c ("dimension", "status", "hasKey", "key", "count")
    VALUES ('rule', a."status", true, a."ruleId", delta),
           ('container', a."status", a."containerId" IS NOT NULL, COALESCE(a."containerId", ''), delta),
           ('host', a."status", a."hostName" IS NOT NULL, COALESCE(a."hostName", ''), delta)
    ON CONFLICT ("dimension", "status", "hasKey", "key") DO UPDATE SET "count" = c."count" + excluded."count";
END $$;

CREATE FUNCTION "Alert_group_count_trigger"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN PERFORM "Alert_group_count_apply"(OLD, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM "Alert_group_count_apply"(NEW, 1); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Alert_group_count_insert_delete" AFTER INSERT OR DELETE ON "Alert"
  FOR EACH ROW EXECUTE FUNCTION "Alert_group_count_trigger"();

CREATE TRIGGER "Alert_group_count_update" AFTER UPDATE OF "status", "ruleId", "containerId", "hostName" ON "Alert"
  FOR EACH ROW WHEN (
    OLD."status" IS DISTINCT FROM NEW."status" OR OLD."ruleId" IS DISTINCT FROM NEW."ruleId"
    OR OLD."containerId" IS DISTINCT FROM NEW."containerId" OR OLD."hostName" IS DISTINCT FROM NEW."hostName")
  EXECUTE FUNCTION "Alert_group_count_trigger"();

-- ------------------------------------------------------------------ Process

-- The earliest event of a process wins (ties: the one stored first), and a field that event left empty is filled
-- from a later one; the WHERE skips rewriting a row the event cannot change (a process's later events: exec, end).
-- Inside DO UPDATE, p is the stored row and excluded the event's.
CREATE FUNCTION "Event_keeps_Process"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "Process" AS p ("entityId", "parentEntityId", "processName", "processExecutable", "timestamp", "eventId")
    VALUES (NEW."entityId", NEW."parentEntityId", NEW."processName", NEW."processExecutable", NEW."timestamp", NEW."id")
    ON CONFLICT ("entityId") DO UPDATE SET
      "parentEntityId" = CASE WHEN excluded."timestamp" < p."timestamp"
        THEN COALESCE(excluded."parentEntityId", p."parentEntityId")
        ELSE COALESCE(p."parentEntityId", excluded."parentEntityId") END,
      "processName" = CASE WHEN excluded."timestamp" < p."timestamp"
        THEN COALESCE(excluded."processName", p."processName")
        ELSE COALESCE(p."processName", excluded."processName") END,
      "processExecutable" = CASE WHEN excluded."timestamp" < p."timestamp"
        THEN COALESCE(excluded."processExecutable", p."processExecutable")
        ELSE COALESCE(p."processExecutable", excluded."processExecutable") END,
      "eventId" = CASE WHEN excluded."timestamp" < p."timestamp" THEN excluded."eventId" ELSE p."eventId" END,
      "timestamp" = LEAST(p."timestamp", excluded."timestamp")
    WHERE excluded."timestamp" < p."timestamp"
      OR (p."parentEntityId" IS NULL AND excluded."parentEntityId" IS NOT NULL)
      OR (p."processName" IS NULL AND excluded."processName" IS NOT NULL)
      OR (p."processExecutable" IS NULL AND excluded."processExecutable" IS NOT NULL);
  RETURN NULL;
END $$;

CREATE TRIGGER "Event_keeps_Process" AFTER INSERT ON "Event"
  FOR EACH ROW WHEN (NEW."entityId" IS NOT NULL) EXECUTE FUNCTION "Event_keeps_Process"();

-- ------------------------------------------------------------------ NotificationOutbox

-- Without an enabled notification rule nothing would be sent, so nothing is queued (ingest pays one lookup).
-- (A trigger's WHEN cannot hold a subquery in PostgreSQL: the test is in the function.)
CREATE FUNCTION "Alert_notification_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "NotificationRule" WHERE "enabled") THEN
    INSERT INTO "NotificationOutbox" ("alertId", "createdAt") VALUES (NEW."id", now());
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Alert_notification_outbox" AFTER INSERT ON "Alert"
  FOR EACH ROW EXECUTE FUNCTION "Alert_notification_outbox"();
