-- sqlite: 20261123062816_init 20261123103721_sample_data 20261123113744_alert_group_indexes
-- sqlite: 20261123134000_alert_search 20261123134100_alert_rule_sort_indexes 20261123134300_alert_search_optimize
-- sqlite: 20261123135209_drop_unused_event_indexes 20261123141003_event_identity_by_time
-- sqlite: 20261123150029_alert_rollup_covering_index 20261206124500_event_blocks 20261206133039_hunts
-- sqlite: 20261206134558_rule_promotion_and_suppression 20261206140158_notification_sources
-- sqlite: 20261206154239_sensor_sources
-- The "-- sqlite:" lines name the SQLite migrations whose effect this one has on PostgreSQL (checked by
-- lib/db/dialect/postgresql/migrate.test.ts: every SQLite migration must be named by one PostgreSQL migration).
-- The schema as prisma/postgresql/schema.prisma describes it on 2026-12-06 (made with the schema engine's diff, see
-- scripts/new-migration.mjs). PostgreSQL's history starts here: the SQLite migrations before this date are one.

-- pg_trgm: the trigram GIN index of the alert list's free-text search (Alert_search_trgm_idx below). A trusted
-- extension: a database owner may create it without being superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "userAgent" TEXT,
    "ip" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Source" (
    "tokenId" TEXT NOT NULL,
    "uploadId" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMPTZ(3),
    "lastSeenAt" TIMESTAMPTZ(3),
    "meanGapSeconds" DOUBLE PRECISION,
    "formats" TEXT NOT NULL DEFAULT '[]',
    "latestErrors" TEXT NOT NULL DEFAULT '[]',
    "pushes" INTEGER NOT NULL DEFAULT 0,
    "events" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "alerts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("tokenId")
);

-- CreateTable
CREATE TABLE "SourceActivity" (
    "tokenId" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "pushes" INTEGER NOT NULL DEFAULT 0,
    "events" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "alerts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SourceActivity_pkey" PRIMARY KEY ("tokenId","minute")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "details" TEXT,
    "ip" TEXT,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Upload" (
    "id" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'receiving',
    "kind" TEXT NOT NULL DEFAULT 'file',
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
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "sample" BOOLEAN NOT NULL DEFAULT false,
    "apiTokenId" TEXT,

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" SERIAL NOT NULL,
    "uploadId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "category" TEXT,
    "type" TEXT,
    "action" TEXT,
    "containerId" TEXT,
    "hostName" TEXT,
    "entityId" TEXT,
    "parentEntityId" TEXT,
    "processName" TEXT,
    "processExecutable" TEXT,
    "blockId" INTEGER,
    "position" INTEGER,
    "document" TEXT NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventBlock" (
    "id" SERIAL NOT NULL,
    "uploadId" TEXT NOT NULL,
    "codec" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "liveCount" INTEGER NOT NULL,
    "rawBytes" INTEGER NOT NULL,
    "checksum" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "minTime" TIMESTAMPTZ(3) NOT NULL,
    "maxTime" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventBlock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Process" (
    "entityId" TEXT NOT NULL,
    "parentEntityId" TEXT,
    "processName" TEXT,
    "processExecutable" TEXT,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "eventId" INTEGER NOT NULL,

    CONSTRAINT "Process_pkey" PRIMARY KEY ("entityId")
);

-- CreateTable
CREATE TABLE "Rule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'eql',
    "query" TEXT NOT NULL,
    "eventCategoryField" TEXT NOT NULL DEFAULT 'event.category',
    "timestampField" TEXT NOT NULL DEFAULT '@timestamp',
    "tiebreakerField" TEXT,
    "severity" TEXT NOT NULL,
    "riskScore" INTEGER NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "threat" TEXT NOT NULL DEFAULT '[]',
    "interval" TEXT NOT NULL DEFAULT '5m',
    "lookback" TEXT NOT NULL DEFAULT 'now-6m',
    "maxAlertsPerRun" INTEGER NOT NULL DEFAULT 100,
    "guide" TEXT NOT NULL DEFAULT '',
    "triageSteps" TEXT NOT NULL DEFAULT '[]',
    "responseSteps" TEXT NOT NULL DEFAULT '[]',
    "falsePositives" TEXT NOT NULL DEFAULT '[]',
    "references" TEXT NOT NULL DEFAULT '[]',
    "authors" TEXT NOT NULL DEFAULT '[]',
    "license" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'custom',
    "severityMapping" TEXT NOT NULL DEFAULT '[]',
    "ruleNameOverride" TEXT,
    "alertSuppression" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "builtin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuleVersion" (
    "id" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RuleVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "ruleName" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "severityRank" INTEGER NOT NULL,
    "riskScore" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "closingReason" TEXT,
    "assigneeId" TEXT,
    "dedupKey" TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "acknowledgedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "containerId" TEXT,
    "containerName" TEXT,
    "imageName" TEXT,
    "hostName" TEXT,
    "processName" TEXT,
    "processExecutable" TEXT,
    "commandLine" TEXT,
    "userName" TEXT,
    "entityId" TEXT,
    "entryLeaderEntityId" TEXT,
    "sessionLeaderEntityId" TEXT,
    "uploadId" TEXT,
    "closedByExceptionId" TEXT,
    "suppressionKey" TEXT,
    "suppressionEndsAt" TIMESTAMPTZ(3),
    "suppressedCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertRollup" (
    "hour" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT,
    "count" INTEGER NOT NULL DEFAULT 0,
    "minutes" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "AlertRollup_pkey" PRIMARY KEY ("hour","dimension","key")
);

-- CreateTable
CREATE TABLE "AlertGroupCount" (
    "dimension" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "hasKey" BOOLEAN NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AlertGroupCount_pkey" PRIMARY KEY ("dimension","status","hasKey","key")
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "alertId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,

    CONSTRAINT "AlertEvent_pkey" PRIMARY KEY ("alertId","position")
);

-- CreateTable
CREATE TABLE "TriageStepState" (
    "id" TEXT NOT NULL,
    "alertId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "stepIndex" INTEGER NOT NULL,
    "checked" BOOLEAN NOT NULL DEFAULT false,
    "checkedById" TEXT,
    "checkedAt" TIMESTAMPTZ(3),
    "note" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TriageStepState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertNote" (
    "id" TEXT NOT NULL,
    "alertId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertChange" (
    "id" TEXT NOT NULL,
    "alertId" TEXT NOT NULL,
    "actorId" TEXT,
    "field" TEXT NOT NULL,
    "fromValue" TEXT,
    "toValue" TEXT,
    "reason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExceptionList" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ExceptionList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuleExceptionList" (
    "ruleId" TEXT NOT NULL,
    "listId" TEXT NOT NULL,

    CONSTRAINT "RuleExceptionList_pkey" PRIMARY KEY ("ruleId","listId")
);

-- CreateTable
CREATE TABLE "ExceptionItem" (
    "id" TEXT NOT NULL,
    "listId" TEXT,
    "ruleId" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "conditions" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "createdById" TEXT,
    "updatedById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ExceptionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExceptionComment" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExceptionComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ValueList" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ValueList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ValueListItem" (
    "listId" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "ValueListItem_pkey" PRIMARY KEY ("listId","value")
);

-- CreateTable
CREATE TABLE "NotificationChannel" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "config" TEXT NOT NULL DEFAULT '{}',
    "secrets" TEXT NOT NULL,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "lastSuccessAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NotificationChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationRule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "minSeverity" TEXT NOT NULL DEFAULT 'low',
    "detectionRules" TEXT NOT NULL DEFAULT '[]',
    "tags" TEXT NOT NULL DEFAULT '[]',
    "containerPattern" TEXT,
    "namespacePattern" TEXT,
    "throttleMinutes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "sources" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "NotificationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationRuleChannel" (
    "ruleId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,

    CONSTRAINT "NotificationRuleChannel_pkey" PRIMARY KEY ("ruleId","channelId")
);

-- CreateTable
CREATE TABLE "NotificationOutbox" (
    "id" SERIAL NOT NULL,
    "alertId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedUntil" TIMESTAMPTZ(3),

    CONSTRAINT "NotificationOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "notificationRuleId" TEXT,
    "kind" TEXT NOT NULL,
    "alertId" TEXT,
    "status" TEXT NOT NULL,
    "throttleKey" TEXT,
    "digestId" TEXT,
    "alertIds" TEXT NOT NULL DEFAULT '[]',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationAttempt" (
    "id" SERIAL NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "NotificationAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationThrottle" (
    "key" TEXT NOT NULL,
    "windowEndsAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NotificationThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AppSetting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AppSetting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SavedHunt" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SavedHunt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HuntHistory" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT '{}',
    "ranAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HuntHistory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Source_uploadId_key" ON "Source"("uploadId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_at_idx" ON "AuditLog"("actorId", "at");

-- CreateIndex
CREATE INDEX "Upload_kind_createdAt_idx" ON "Upload"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "Upload_sample_idx" ON "Upload"("sample");

-- CreateIndex
CREATE INDEX "Event_blockId_position_idx" ON "Event"("blockId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Event_uploadId_line_key" ON "Event"("uploadId", "line");

-- CreateIndex
CREATE UNIQUE INDEX "Event_timestamp_contentHash_key" ON "Event"("timestamp", "contentHash");

-- CreateIndex
CREATE INDEX "EventBlock_maxTime_idx" ON "EventBlock"("maxTime");

-- CreateIndex
CREATE INDEX "EventBlock_uploadId_idx" ON "EventBlock"("uploadId");

-- CreateIndex
CREATE INDEX "Process_parentEntityId_timestamp_idx" ON "Process"("parentEntityId", "timestamp");

-- CreateIndex
CREATE INDEX "Process_eventId_idx" ON "Process"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "RuleVersion_ruleId_version_key" ON "RuleVersion"("ruleId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_dedupKey_key" ON "Alert"("dedupKey");

-- CreateIndex
CREATE INDEX "Alert_status_timestamp_idx" ON "Alert"("status", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_severityRank_timestamp_idx" ON "Alert"("severityRank", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_ruleId_timestamp_idx" ON "Alert"("ruleId", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_ruleId_riskScore_timestamp_idx" ON "Alert"("ruleId", "riskScore", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_ruleId_severityRank_timestamp_idx" ON "Alert"("ruleId", "severityRank", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_timestamp_idx" ON "Alert"("timestamp");

-- CreateIndex
CREATE INDEX "Alert_riskScore_timestamp_idx" ON "Alert"("riskScore", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_containerId_timestamp_idx" ON "Alert"("containerId", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_hostName_timestamp_idx" ON "Alert"("hostName", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_status_ruleId_idx" ON "Alert"("status", "ruleId");

-- CreateIndex
CREATE INDEX "Alert_status_containerId_idx" ON "Alert"("status", "containerId");

-- CreateIndex
CREATE INDEX "Alert_status_hostName_idx" ON "Alert"("status", "hostName");

-- CreateIndex
CREATE INDEX "Alert_assigneeId_status_idx" ON "Alert"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "Alert_uploadId_idx" ON "Alert"("uploadId");

-- CreateIndex
CREATE INDEX "Alert_suppressionKey_suppressionEndsAt_idx" ON "Alert"("suppressionKey", "suppressionEndsAt");

-- CreateIndex
CREATE INDEX "Alert_search_trgm_idx" ON "Alert" USING GIN ("ruleName" gin_trgm_ops, "containerName" gin_trgm_ops, "imageName" gin_trgm_ops, "hostName" gin_trgm_ops, "processName" gin_trgm_ops, "commandLine" gin_trgm_ops, "userName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AlertRollup_dimension_hour_key_count_label_idx" ON "AlertRollup"("dimension", "hour", "key", "count", "label");

-- CreateIndex
CREATE INDEX "AlertEvent_eventId_idx" ON "AlertEvent"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "TriageStepState_alertId_kind_stepIndex_key" ON "TriageStepState"("alertId", "kind", "stepIndex");

-- CreateIndex
CREATE INDEX "AlertNote_alertId_createdAt_idx" ON "AlertNote"("alertId", "createdAt");

-- CreateIndex
CREATE INDEX "AlertChange_alertId_createdAt_idx" ON "AlertChange"("alertId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExceptionList_name_key" ON "ExceptionList"("name");

-- CreateIndex
CREATE INDEX "ExceptionItem_ruleId_idx" ON "ExceptionItem"("ruleId");

-- CreateIndex
CREATE INDEX "ExceptionItem_listId_idx" ON "ExceptionItem"("listId");

-- CreateIndex
CREATE UNIQUE INDEX "ValueList_name_key" ON "ValueList"("name");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationChannel_name_key" ON "NotificationChannel"("name");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationRule_name_key" ON "NotificationRule"("name");

-- CreateIndex
CREATE INDEX "NotificationRuleChannel_channelId_idx" ON "NotificationRuleChannel"("channelId");

-- CreateIndex
CREATE INDEX "NotificationOutbox_claimedUntil_idx" ON "NotificationOutbox"("claimedUntil");

-- CreateIndex
CREATE INDEX "NotificationDelivery_status_nextAttemptAt_idx" ON "NotificationDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "NotificationDelivery_alertId_idx" ON "NotificationDelivery"("alertId");

-- CreateIndex
CREATE INDEX "NotificationDelivery_channelId_createdAt_idx" ON "NotificationDelivery"("channelId", "createdAt");

-- CreateIndex
CREATE INDEX "NotificationAttempt_deliveryId_at_idx" ON "NotificationAttempt"("deliveryId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "SavedHunt_userId_name_key" ON "SavedHunt"("userId", "name");

-- CreateIndex
CREATE INDEX "HuntHistory_userId_ranAt_idx" ON "HuntHistory"("userId", "ranAt");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Source" ADD CONSTRAINT "Source_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceActivity" ADD CONSTRAINT "SourceActivity_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Source"("tokenId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_blockId_fkey" FOREIGN KEY ("blockId") REFERENCES "EventBlock"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventBlock" ADD CONSTRAINT "EventBlock_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Process" ADD CONSTRAINT "Process_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RuleVersion" ADD CONSTRAINT "RuleVersion_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "Rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "Rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "Upload"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TriageStepState" ADD CONSTRAINT "TriageStepState_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertNote" ADD CONSTRAINT "AlertNote_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertChange" ADD CONSTRAINT "AlertChange_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RuleExceptionList" ADD CONSTRAINT "RuleExceptionList_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "Rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RuleExceptionList" ADD CONSTRAINT "RuleExceptionList_listId_fkey" FOREIGN KEY ("listId") REFERENCES "ExceptionList"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExceptionItem" ADD CONSTRAINT "ExceptionItem_listId_fkey" FOREIGN KEY ("listId") REFERENCES "ExceptionList"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExceptionItem" ADD CONSTRAINT "ExceptionItem_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "Rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExceptionComment" ADD CONSTRAINT "ExceptionComment_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ExceptionItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ValueListItem" ADD CONSTRAINT "ValueListItem_listId_fkey" FOREIGN KEY ("listId") REFERENCES "ValueList"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationRuleChannel" ADD CONSTRAINT "NotificationRuleChannel_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "NotificationRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationRuleChannel" ADD CONSTRAINT "NotificationRuleChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "NotificationChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "NotificationChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationAttempt" ADD CONSTRAINT "NotificationAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "NotificationDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedHunt" ADD CONSTRAINT "SavedHunt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HuntHistory" ADD CONSTRAINT "HuntHistory_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
