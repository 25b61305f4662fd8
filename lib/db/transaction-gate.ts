import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { retryWhenBusy } from "./busy-retry";
import { sqliteCode } from "./storage-problem";

/**
 * Keeps plain queries out of open transactions.
 *
 * Prisma's better-sqlite3 adapter runs everything on one SQLite connection. It
 * stops two transactions from overlapping, but a query made outside any
 * transaction runs on that connection at once, even while another request's
 * interactive transaction sits between two of its awaits. SQLite then counts
 * the statement as part of the open transaction, so when that transaction
 * rolls back (a stale alert version, a refused change, a busy retry) it undoes
 * the other request's write too, after that write was reported stored: an
 * upload's row, a finished report, an audit entry.
 *
 * The gate gives the connection to one holder at a time, in arrival order: a
 * transaction from BEGIN to its commit or rollback, a plain query for its one
 * statement. Statements inside a transaction go through the transaction
 * object and never wait here. So code inside `$transaction(async (tx) => …)`
 * must use `tx`, never the top-level client: a top-level query there would
 * wait for the transaction it is part of until Prisma's transaction timeout.
 *
 * The gate also waits for locks, so that SQLite never has to: the connection's
 * busy timeout is 0, because better-sqlite3 waits synchronously and froze the
 * whole server, reads included, while another process held the write lock.
 * A statement refused with SQLITE_BUSY runs again after a short asynchronous
 * pause, for up to `patienceMs` as SQLite would have waited. A plain query
 * gives up its turn while it pauses, so reads go on meanwhile; a
 * transaction's statement keeps the connection, which the transaction holds
 * anyway. SQLITE_BUSY_SNAPSHOT is not waited for: only running the whole
 * transaction again can cure it (transactions.ts).
 */
export function gateTransactions(factory: SqlDriverAdapterFactory, patienceMs: number): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => new GatedAdapter(await factory.connect(), patienceMs),
  };
}

/** Another connection holds the lock: it will let go. (A stale snapshot, SQLITE_BUSY_SNAPSHOT, never gets better.) */
function waitingHelps(error: unknown): boolean {
  const code = sqliteCode(error);
  return code?.startsWith("SQLITE_BUSY") === true && code !== "SQLITE_BUSY_SNAPSHOT";
}

/** A first-come, first-served lock; `acquire` resolves to its release. */
class Turns {
  #last: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    const previous = this.#last;
    let release!: () => void;
    this.#last = new Promise<void>((resolve) => {
      release = resolve;
    });
    return previous.then(() => release);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

class GatedAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  readonly #inner: SqlDriverAdapter;
  readonly #turns = new Turns();
  readonly #patienceMs: number;

  constructor(inner: SqlDriverAdapter, patienceMs: number) {
    this.#inner = inner;
    this.#patienceMs = patienceMs;
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    const info = inner.getConnectionInfo;
    if (info) this.getConnectionInfo = () => info.call(inner);
  }

  getConnectionInfo?: SqlDriverAdapter["getConnectionInfo"];

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#plain(() => this.#inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#plain(() => this.#inner.executeRaw(query));
  }

  /**
   * A script in its turn, and not retried: it may hold several statements, and
   * SQLite stops at the first that fails with the ones before it committed, so
   * running it again could apply those twice. A busy database fails it at once.
   */
  executeScript(script: string): Promise<void> {
    return this.#turns.run(() => this.#inner.executeScript(script));
  }

  /**
   * A query outside any transaction, in its turn; a busy database sends it to the back of the line. A statement on
   * its own is committed alone, so running it again is safe.
   */
  #plain<T>(work: () => Promise<T>): Promise<T> {
    return retryWhenBusy(() => this.#turns.run(work), this.#patienceMs, waitingHelps);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = await this.#turns.acquire();
    try {
      return new GatedTransaction(await this.#inner.startTransaction(isolationLevel), release, this.#patienceMs);
    } catch (error) {
      release();
      throw error;
    }
  }

  dispose(): Promise<void> {
    return this.#inner.dispose();
  }
}

/** The adapter's transaction, handing the connection back when it ends. */
class GatedTransaction implements Transaction {
  readonly provider: Transaction["provider"];
  readonly adapterName: string;
  readonly options: Transaction["options"];
  readonly #inner: Transaction;
  #release: (() => void) | null;
  readonly #patienceMs: number;

  constructor(inner: Transaction, release: () => void, patienceMs: number) {
    this.#inner = inner;
    this.#release = release;
    this.#patienceMs = patienceMs;
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.options = inner.options;
    // Savepoints are optional in Prisma's interface: offer them only when the adapter does.
    const { createSavepoint, rollbackToSavepoint, releaseSavepoint } = inner;
    if (createSavepoint) this.createSavepoint = (name) => createSavepoint.call(inner, name);
    if (rollbackToSavepoint) this.rollbackToSavepoint = (name) => rollbackToSavepoint.call(inner, name);
    if (releaseSavepoint) this.releaseSavepoint = (name) => releaseSavepoint.call(inner, name);
  }

  createSavepoint?: Transaction["createSavepoint"];
  rollbackToSavepoint?: Transaction["rollbackToSavepoint"];
  releaseSavepoint?: Transaction["releaseSavepoint"];

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return retryWhenBusy(() => this.#inner.queryRaw(query), this.#patienceMs, waitingHelps);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return retryWhenBusy(() => this.#inner.executeRaw(query), this.#patienceMs, waitingHelps);
  }

  commit(): Promise<void> {
    return this.#end(() => this.#inner.commit());
  }

  rollback(): Promise<void> {
    return this.#end(() => this.#inner.rollback());
  }

  /** Prisma has already sent COMMIT or ROLLBACK; this ends the adapter's hold and then ours, once. */
  async #end(finish: () => Promise<void>): Promise<void> {
    try {
      await finish();
    } finally {
      const release = this.#release;
      this.#release = null;
      release?.();
    }
  }
}
