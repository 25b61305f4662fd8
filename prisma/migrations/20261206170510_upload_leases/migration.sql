-- Upload leases (issue 22): an upload being received belongs to the instance receiving it, which renews
-- leaseExpiresAt while it runs; start-up and a periodic check mark only expired ones interrupted. Columns added in
-- place (no table rebuild): existing rows get NULL, which counts as expired.
-- AlterTable
ALTER TABLE "Upload" ADD COLUMN "leaseExpiresAt" DATETIME;
ALTER TABLE "Upload" ADD COLUMN "leaseHolder" TEXT;

-- CreateIndex
CREATE INDEX "Upload_status_leaseExpiresAt_idx" ON "Upload"("status", "leaseExpiresAt");
