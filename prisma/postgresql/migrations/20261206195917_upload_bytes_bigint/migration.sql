-- sqlite: 20261206195917_upload_bytes_bigint
-- Upload.bytesReceived as a 64-bit number: integer stopped at 2 GiB, so a larger upload, or a sensor stream's
-- running total after a few days, failed with "out of range for type integer".
-- AlterTable
ALTER TABLE "Upload" ALTER COLUMN "bytesReceived" SET DATA TYPE BIGINT;
