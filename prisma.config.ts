import { defineConfig } from "prisma/config";

// Only `prisma generate` is used (offline); migrations are applied by lib/db/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/keelwatch.db" },
});
