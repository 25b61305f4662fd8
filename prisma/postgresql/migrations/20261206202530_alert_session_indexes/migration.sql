-- sqlite: 20261206202530_alert_session_indexes
-- CreateIndex
CREATE INDEX "Alert_entryLeaderEntityId_timestamp_idx" ON "Alert"("entryLeaderEntityId", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_sessionLeaderEntityId_timestamp_idx" ON "Alert"("sessionLeaderEntityId", "timestamp");
