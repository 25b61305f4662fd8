import { PrismaPg } from "@prisma/adapter-pg";
import type { Prisma, PrismaClient } from "../../../generated/prisma/client";
import {
  type Prisma as PostgresPrisma,
  PrismaClient as PostgresPrismaClient,
} from "../../../generated/prisma-pg/client";
import { busyTimeoutMs } from "../../pragmas";
import { deepWithoutNul } from "./text";

/** Connections each app instance keeps to PostgreSQL: KEELWATCH_PG_POOL_SIZE, else 10 (node-postgres' default). */
export function poolSize(env: Partial<Record<string, string>> = process.env): number {
  const raw = env.KEELWATCH_PG_POOL_SIZE?.trim();
  if (!raw) return 10;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new Error(`KEELWATCH_PG_POOL_SIZE must be a whole number of connections from 1 to 1000, got "${raw}"`);
  }
  return value;
}

/**
 * The PostgreSQL Prisma client: node-postgres' pool through @prisma/adapter-pg, the client generated from
 * prisma/postgresql/schema.prisma (lib/generated/prisma-pg).
 *
 * Both generated clients come from the same models (scripts/pg-schema.mjs changes only column types Prisma maps to
 * the same JavaScript values), so the app programs against one client type, the SQLite one's. The types differ only
 * in $transaction's isolation levels (SQLite has one) and in filters only PostgreSQL has (`mode: "insensitive"`);
 * the cast hides those, and MODELS_MATCH below fails to compile if any model's rows differ.
 */
export function createPostgresPrismaClient(url: string): PrismaClient {
  const patienceMs = busyTimeoutMs();
  const adapter = new PrismaPg({
    connectionString: url,
    max: poolSize(),
    // Raw SQL that formats times (dashboard hours, lib/db/dialect/postgresql) must not depend on the server's zone.
    options: "-c timezone=UTC",
  });
  const client = new PostgresPrismaClient({
    adapter,
    // As on SQLite: a transaction may wait for a connection and for row locks as long as a statement would.
    transactionOptions: { maxWait: patienceMs, timeout: patienceMs + 5_000 },
  }).$extends({
    // Every model query's strings (written, or looked up) with NUL as text.ts maps it: PostgreSQL refuses NUL in
    // text, and an analyst's note or a sensor's field may hold one.
    query: { $allModels: { $allOperations: ({ args, query }) => query(deepWithoutNul(args)) } },
  });
  return client as unknown as PrismaClient;
}

// What each model's rows hold (scalars), per client: the cast above is sound while these are the same.
type ModelScalars<Map> = Map extends { model: infer Models }
  ? { [Name in keyof Models]: Models[Name] extends { payload: { scalars: infer Row } } ? Row : never }
  : never;
type Same<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;
type SqliteRows = ModelScalars<Prisma.TypeMap>;
type PostgresRows = ModelScalars<PostgresPrisma.TypeMap>;
type ModelsMatch =
  Same<keyof SqliteRows, keyof PostgresRows> extends true
    ? { [Name in keyof SqliteRows & keyof PostgresRows]: Same<SqliteRows[Name], PostgresRows[Name]> }
    : false;
/**
 * Compile-time proof (see createPostgresPrismaClient): a type error names the model whose rows differ between the
 * two clients, or fails whole when one has a model the other lacks.
 */
export const MODELS_MATCH: { [Name in keyof SqliteRows]: true } = null as unknown as ModelsMatch;
