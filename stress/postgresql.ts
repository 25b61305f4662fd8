/**
 * Several Keelwatch servers on one PostgreSQL database for the stress suite
 * (issue 22): a new database on the run's throw-away cluster (the same
 * helpers as the integration tests), servers started on it one after the
 * other (the first applies the migrations), API tokens written as the app
 * writes them, and a connection to inspect the rows afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { hashSecret } from "@/lib/auth/secrets";
import { createTestPostgresDatabase } from "@/lib/db/dialect/postgresql/test-cluster";
import { KeelwatchServer, type ServerOptions } from "./server";

/** Every instance of one database must encrypt notification secrets with the same key (docs/operations.md). */
const SECRET_KEY = "stress-postgresql-instances";

export interface Instances {
  url: string;
  servers: KeelwatchServer[];
}

/**
 * A new database and `count` servers on it, each on its own free port. `options(index)` adds to each server's
 * options (its environment, a wrapper). They start at once, as instances rolled out together do: each applies the
 * pending migrations, and lib/db/dialect/postgresql/migrate.ts has them applied once.
 */
export async function startInstances(
  count: number,
  options: (index: number) => Partial<ServerOptions> = () => ({}),
): Promise<Instances> {
  const url = await createTestPostgresDatabase("stress");
  const servers: KeelwatchServer[] = [];
  for (let index = 0; index < count; index++) {
    const extra = options(index);
    const server = new KeelwatchServer({
      ...extra,
      env: {
        NODE_ENV: "production",
        DATABASE_URL: url,
        KEELWATCH_SECRET_KEY: SECRET_KEY,
        ...extra.env,
      },
    });
    servers.push(server);
  }
  const starts = servers.map((server) => server.start());
  const failed = (await Promise.allSettled(starts)).find((result) => result.status === "rejected");
  if (failed) {
    for (const server of servers) await server.kill();
    throw failed.reason;
  }
  return { url, servers };
}

/** Runs `use` with a connection of its own to the database, closed afterwards. */
export async function withPostgres<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, options: "-c timezone=UTC" });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** An API token of `role`, stored as the app stores tokens (sha256 only); returns the token to send as Bearer. */
export async function addPostgresApiToken(url: string, role: string): Promise<string> {
  const token = `kw_${randomBytes(32).toString("base64url")}`;
  await withPostgres(url, (client) =>
    client.query(
      `INSERT INTO "ApiToken" ("id", "name", "role", "tokenHash", "prefix", "createdAt") VALUES ($1, $2, $3, $4, $5, now())`,
      [
        `stress-${randomBytes(8).toString("hex")}`,
        `stress ${role} ${randomBytes(2).toString("hex")}`,
        role,
        hashSecret(token),
        token.slice(0, 9),
      ],
    ),
  );
  return token;
}

/**
 * The command that runs a server in a PID namespace of its own, as if on another machine: its upload leases then
 * carry a holder another instance cannot check for a live process, so they end only by expiring
 * (lib/db/upload-leases.ts). Root creates the namespace directly; anyone else through a user namespace.
 */
export function inOwnPidNamespace(argv: string[]): string[] {
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return ["unshare", ...(asRoot ? [] : ["--user", "--map-root-user"]), "--pid", "--fork", "--", ...argv];
}
