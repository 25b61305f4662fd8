-- CreateIndex
CREATE INDEX "Alert_status_ruleId_idx" ON "Alert"("status", "ruleId");

-- CreateIndex
CREATE INDEX "Alert_status_containerId_idx" ON "Alert"("status", "containerId");

-- CreateIndex
CREATE INDEX "Alert_status_hostName_idx" ON "Alert"("status", "hostName");
