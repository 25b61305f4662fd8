export const DEFAULT_PORTS: string;

export interface PostgresCluster {
  bin: string;
  dir: string;
  data: string;
  port: number;
  /** admin URL: database `postgres`, user `postgres`, no password (trust) */
  url: string;
  urlOf(database: string): string;
  createDatabase(name: string): string;
  stop(): void;
}

export function findPostgresBin(root?: string): string | null;
export function ensurePostgres(): string;
export function startCluster(options?: { ports?: string; ownerPid?: number }): Promise<PostgresCluster>;
export function clusterHandle(cluster: { bin: string; dir: string; data: string; port: number }): PostgresCluster;
export function stopCluster(cluster: { bin: string; dir: string; data: string }): void;
export function sharedCluster(stateDir: string): Promise<PostgresCluster>;
export function stopSharedCluster(stateDir: string): void;
