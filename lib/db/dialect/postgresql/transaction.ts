import type pg from "pg";

/**
 * `work` in one transaction on a connection of `pool`: committed when it returns, rolled back when it throws. A
 * connection whose ROLLBACK fails is dropped from the pool rather than handed to the next caller mid-transaction.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
