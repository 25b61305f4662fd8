-- DropIndex
DROP INDEX "Event_hostName_timestamp_idx";

-- DropIndex
DROP INDEX "Event_containerId_timestamp_idx";
