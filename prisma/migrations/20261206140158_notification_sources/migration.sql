-- AlterTable
ALTER TABLE "Upload" ADD COLUMN "apiTokenId" TEXT;

-- AlterTable (added in place: rebuilding NotificationRule would trip the Alert trigger that reads it)
ALTER TABLE "NotificationRule" ADD COLUMN "sources" TEXT NOT NULL DEFAULT '[]';
