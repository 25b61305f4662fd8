import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";

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
 */
export function gateTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => new GatedAdapter(await factory.connect()),
  };
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

  constructor(inner: SqlDriverAdapter) {
    this.#inner = inner;
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    const info = inner.getConnectionInfo;
    if (info) this.getConnectionInfo = () => info.call(inner);
  }

  getConnectionInfo?: SqlDriverAdapter["getConnectionInfo"];

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#turns.run(() => this.#inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#turns.run(() => this.#inner.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.#turns.run(() => this.#inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = await this.#turns.acquire();
    try {
      return new GatedTransaction(await this.#inner.startTransaction(isolationLevel), release);
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

  constructor(inner: Transaction, release: () => void) {
    this.#inner = inner;
    this.#release = release;
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
    return this.#inner.queryRaw(query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#inner.executeRaw(query);
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
