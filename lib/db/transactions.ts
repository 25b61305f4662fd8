import type { Prisma } from "../generated/prisma/client";
import { retryWhenBusy } from "./busy-retry";
import { prisma } from "./client";

/**
 * A Prisma interactive transaction that reads before it writes, run again
 * whole when the database is busy (see retryWhenBusy): the app's
 * read-check-write changes (alert PATCH, bulk triage, user changes, closing
 * the alerts an exception covers) go through here. `work` must leave nothing
 * outside the transaction behind, since it may run more than once.
 */
export function retryingTransaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return retryWhenBusy(() => prisma().$transaction(work));
}
