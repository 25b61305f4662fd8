-- DropIndex
DROP INDEX "AlertRollup_dimension_hour_idx";

-- CreateIndex
CREATE INDEX "AlertRollup_dimension_hour_key_count_label_idx" ON "AlertRollup"("dimension", "hour", "key", "count", "label");
