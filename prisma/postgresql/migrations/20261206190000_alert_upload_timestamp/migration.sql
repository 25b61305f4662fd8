-- sqlite: 20261206190000_alert_upload_timestamp
-- The alert list's `upload` filter (one upload's or one sensor source's alerts) reads them newest first: the
-- (uploadId, timestamp) index gives that order, and still serves every lookup by uploadId alone.
DROP INDEX "Alert_uploadId_idx";
CREATE INDEX "Alert_uploadId_timestamp_idx" ON "Alert"("uploadId", "timestamp");
