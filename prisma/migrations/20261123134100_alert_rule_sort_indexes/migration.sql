-- CreateIndex
CREATE INDEX "Alert_ruleId_riskScore_timestamp_idx" ON "Alert"("ruleId", "riskScore", "timestamp");

-- CreateIndex
CREATE INDEX "Alert_ruleId_severityRank_timestamp_idx" ON "Alert"("ruleId", "severityRank", "timestamp");
