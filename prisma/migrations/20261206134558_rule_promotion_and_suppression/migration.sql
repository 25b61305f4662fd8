-- Promotion rules (severity mapping, rule name override) and alert suppression.
-- Written as ADD COLUMN by hand rather than Prisma's table rebuild: rebuilding "Alert" would drop
-- its rollup, search and group-count triggers, and copy every alert of a large database.
ALTER TABLE "Rule" ADD COLUMN "severityMapping" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Rule" ADD COLUMN "ruleNameOverride" TEXT;
ALTER TABLE "Rule" ADD COLUMN "alertSuppression" TEXT;

ALTER TABLE "Alert" ADD COLUMN "suppressionKey" TEXT;
ALTER TABLE "Alert" ADD COLUMN "suppressionEndsAt" DATETIME;
ALTER TABLE "Alert" ADD COLUMN "suppressedCount" INTEGER NOT NULL DEFAULT 0;

CREATE INDEX "Alert_suppressionKey_suppressionEndsAt_idx" ON "Alert"("suppressionKey", "suppressionEndsAt");
