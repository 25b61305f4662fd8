-- DropIndex
DROP INDEX "Event_timestamp_idx";

-- DropIndex
DROP INDEX "Event_contentHash_key";

-- CreateIndex
CREATE UNIQUE INDEX "Event_timestamp_contentHash_key" ON "Event"("timestamp", "contentHash");
