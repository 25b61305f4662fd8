-- CreateIndex
CREATE INDEX "Alert_entryLeaderEntityId_timestamp_idx" ON "Alert"("entryLeaderEntityId", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_sessionLeaderEntityId_timestamp_idx" ON "Alert"("sessionLeaderEntityId", "timestamp");
