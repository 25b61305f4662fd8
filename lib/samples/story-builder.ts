import type { SampleContainer, SampleEvent, SampleHost, SampleProcess } from "./model";

/** mulberry32: a tiny seeded generator, so the same seed always writes the same bytes. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SpawnSpec {
  executable: string;
  argv: string[];
  container?: SampleContainer | null;
  cwd?: string;
  uid?: number;
  user?: string;
  gid?: number;
  group?: string;
  tty?: boolean;
  /** pid inside the container; by default 1 for a container's first process, else counted up. */
  vpid?: number;
}

/** Records what processes do, handing out pids, entity ids and nanosecond parts deterministically. */
export class StoryBuilder {
  readonly events: SampleEvent[] = [];
  private nextPid: number;
  private readonly nextVpid = new Map<string, number>();
  private readonly random: () => number;

  constructor(
    readonly host: SampleHost,
    seed: number,
    firstPid = 20_000,
  ) {
    this.random = seededRandom(seed);
    this.nextPid = firstPid;
  }

  /** A whole number in [min, max], from the seeded generator. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private nanos(): number {
    return this.int(0, 999_999);
  }

  /** A process that exists before the story (a runtime shim, a container's init): no event is written. */
  existing(parent: SampleProcess | null, start: number, spec: SpawnSpec, pid?: number): SampleProcess {
    return this.makeProcess(parent, start, spec, pid);
  }

  /** parent execs a new program (fork + exec, reported as one exec). */
  exec(parent: SampleProcess | null, time: number, spec: SpawnSpec): SampleProcess {
    const process = this.makeProcess(parent, time, spec);
    this.events.push({ kind: "exec", time, nanos: process.startNanos, process });
    return process;
  }

  /** parent forks a copy of itself (nginx and php-fpm workers). */
  fork(parent: SampleProcess, time: number, argv?: string[]): SampleProcess {
    const process = this.makeProcess(parent, time, {
      executable: parent.executable,
      argv: argv ?? parent.argv,
      container: parent.container,
      cwd: parent.cwd,
      uid: parent.uid,
      user: parent.user,
      gid: parent.gid,
      group: parent.group,
      tty: parent.tty,
    });
    this.events.push({ kind: "fork", time, nanos: process.startNanos, process });
    return process;
  }

  exit(process: SampleProcess, time: number, code = 0): void {
    this.events.push({ kind: "exit", time, nanos: this.nanos(), process, code });
  }

  file(process: SampleProcess, time: number, path: string): void {
    this.events.push({ kind: "file", time, nanos: this.nanos(), process, path });
  }

  connect(process: SampleProcess, time: number, address: string, port: number): void {
    this.events.push({
      kind: "connect",
      time,
      nanos: this.nanos(),
      process,
      address,
      port,
      sourcePort: this.int(32_768, 60_999),
    });
  }

  /** The events in time order (stable for equal times, so the order of writing decides). */
  sorted(): SampleEvent[] {
    return this.events
      .map((event, index) => ({ event, index }))
      .sort((a, b) => a.event.time - b.event.time || a.event.nanos - b.event.nanos || a.index - b.index)
      .map((entry) => entry.event);
  }

  private makeProcess(parent: SampleProcess | null, start: number, spec: SpawnSpec, pid?: number): SampleProcess {
    const container = spec.container === undefined ? (parent?.container ?? null) : spec.container;
    const ownPid = pid ?? this.nextPid;
    if (pid === undefined) this.nextPid += this.int(1, 9);
    let vpid: number | null = null;
    if (container) {
      const next = this.nextVpid.get(container.id) ?? 1;
      vpid = spec.vpid ?? next;
      this.nextVpid.set(container.id, Math.max(next, vpid) + this.int(1, 4));
    }
    const startNanos = this.nanos();
    const uid = spec.uid ?? parent?.uid ?? 0;
    return {
      pid: ownPid,
      vpid,
      executable: spec.executable,
      argv: spec.argv,
      cwd: spec.cwd ?? parent?.cwd ?? "/",
      uid,
      user: spec.user ?? parent?.user ?? "root",
      gid: spec.gid ?? parent?.gid ?? uid,
      group: spec.group ?? parent?.group ?? spec.user ?? parent?.user ?? "root",
      tty: spec.tty ?? parent?.tty ?? false,
      container,
      parent,
      start,
      startNanos,
      entityId: entityId(this.host.name, start, startNanos, ownPid),
    };
  }
}

/** base64("node:start-ns:pid"), the shape of Tetragon's exec_id. */
function entityId(node: string, start: number, nanos: number, pid: number): string {
  const ns = BigInt(start) * 1_000_000n + BigInt(nanos);
  return Buffer.from(`${node}:${ns}:${pid}`).toString("base64");
}
