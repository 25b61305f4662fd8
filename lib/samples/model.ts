/**
 * The format-neutral model the sample incidents are written from: processes
 * (with their parent chain, in and out of containers) and what they do over
 * time. Each writer (ECS, Falco, Tetragon, Datadog) renders the same story in
 * its own producer's shape, so the four files tell one incident.
 */

export interface SampleHost {
  name: string;
  hostname: string;
  id: string;
  ip: string;
  cluster: string;
  clusterId: string;
  kernel: string;
}

export interface SampleContainer {
  /** 64 hex characters, as the runtime names it. */
  id: string;
  name: string;
  image: string;
  tag: string;
  digest: string;
  pod: string;
  podIp: string;
  namespace: string;
  workload: string;
  workloadKind: string;
  labels: Record<string, string>;
  /** When the container started (ms since the epoch). */
  startedAt: number;
}

export interface SampleProcess {
  pid: number;
  /** pid inside the container's pid namespace (1 for the container's init). */
  vpid: number | null;
  executable: string;
  /** argv as the program was invoked, argv[0] first. */
  argv: string[];
  cwd: string;
  uid: number;
  user: string;
  gid: number;
  group: string;
  tty: boolean;
  container: SampleContainer | null;
  parent: SampleProcess | null;
  /** exec time, ms since the epoch, and a sub-millisecond part so times look like a kernel's. */
  start: number;
  startNanos: number;
  /** Unique id in the style of Tetragon's exec_id (node, start time, pid), shared by every writer. */
  entityId: string;
}

export type SampleEvent =
  | { kind: "exec"; time: number; nanos: number; process: SampleProcess }
  | { kind: "fork"; time: number; nanos: number; process: SampleProcess }
  | { kind: "exit"; time: number; nanos: number; process: SampleProcess; code: number }
  | { kind: "file"; time: number; nanos: number; process: SampleProcess; path: string }
  | {
      kind: "connect";
      time: number;
      nanos: number;
      process: SampleProcess;
      address: string;
      port: number;
      sourcePort: number;
    };

export interface SampleStory {
  host: SampleHost;
  events: SampleEvent[];
}

export function processName(process: SampleProcess): string {
  return process.executable.slice(process.executable.lastIndexOf("/") + 1);
}

/** Ancestors, nearest first, up to the first process with no known parent. */
export function ancestors(process: SampleProcess): SampleProcess[] {
  const chain: SampleProcess[] = [];
  for (let current = process.parent; current; current = current.parent) chain.push(current);
  return chain;
}

/**
 * The first process of its line inside its container: the container's init
 * or a process whose parent runs outside the container (a runtime's exec).
 */
export function entryLeader(process: SampleProcess): SampleProcess {
  let leader = process;
  while (leader.parent && leader.container && leader.parent.container?.id === leader.container.id) {
    leader = leader.parent;
  }
  return leader;
}

export const SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh"]);

/** ISO 8601 with nanoseconds, as Falco and Tetragon print times. */
export function isoNanos(time: number, nanos: number): string {
  const base = new Date(time).toISOString().slice(0, 19);
  const fraction = String((time % 1000) * 1_000_000 + nanos).padStart(9, "0");
  return `${base}.${fraction}Z`;
}

/** ISO 8601 with milliseconds. */
export function isoMillis(time: number): string {
  return new Date(time).toISOString();
}

/** Nanoseconds since the epoch as a decimal string (beyond a double's exact range). */
export function epochNanos(time: number, nanos: number): string {
  return (BigInt(time) * 1_000_000n + BigInt(nanos)).toString();
}
