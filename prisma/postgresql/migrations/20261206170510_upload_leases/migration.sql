-- sqlite: 20261206170510_upload_leases
-- Upload leases (issue 22), as the SQLite migration: see lib/db/upload-leases.ts.
-- AlterTable
ALTER TABLE "Upload" ADD COLUMN     "leaseExpiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "leaseHolder" TEXT;

-- CreateIndex
CREATE INDEX "Upload_status_leaseExpiresAt_idx" ON "Upload"("status", "leaseExpiresAt");
