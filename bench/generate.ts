/**
 * Deterministic generator of Defend for Containers (cloud_defend) style ECS
 * process events for the benchmark.
 *
 * It simulates processes in a few dozen Kubernetes containers: each process
 * is forked (event.action "fork"), usually exec's a program ("exec") and
 * later ends ("end"). A bounded pool of live processes interleaves the
 * lifecycles, so a fork and its exec are a few dozen events apart, as in a
 * real stream, and the generator's memory does not grow with the count.
 *
 * About 1% of the events hit each seed rule: network tools run inside a
 * container, the same tools run from writable directories (/tmp, /dev/shm),
 * and interactive shells (`bash -i`). Near misses (curl, `sh -c`, shells run
 * by the container's own entry leader) are mixed in so the filters work.
 */
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { Prng } from "./prng";

export type BenchEvent = Record<string, unknown>;

export interface GenerateOptions {
  seed?: number;
  /** Time of the first event, in epoch milliseconds. */
  start?: number;
  /**
   * Stretches the time between events (1: 1-40 ms apart, about 5.7 hours for 1M events). The same events
   * come out whatever the scale; only their times move apart, so a seeded store can span weeks.
   */
  timeScale?: number;
}

export const DEFAULT_SEED = 0x6b77; // "kw"
const DEFAULT_START = Date.UTC(2026, 10, 20, 0, 0, 0);
/** Live (forked or running) processes kept at once; sets how far apart a fork and its exec are. */
const LIVE_PROCESSES = 48;
/** Share of forked processes that end without exec'ing anything (subshells, workers). */
const FORK_ONLY = 0.08;
/** Per exec. Execs are about a third of all events, so 3% of execs is about 1% of events. */
const NETWORK_TOOL = 0.016;
const TOOL_IN_WRITABLE_DIR = 0.032;
const INTERACTIVE_SHELL = 0.032;

interface Container {
  id: string;
  name: string;
  image: string;
  tag: string;
  host: Host;
  namespace: string;
  pod: string;
  podIp: string;
  commands: readonly Command[];
  leader: Proc;
  nextPid: number;
}

interface Host {
  name: string;
  id: string;
  bootId: string;
}

interface Command {
  executable: string;
  args: readonly string[];
  user?: string;
}

interface Proc {
  entityId: string;
  pid: number;
  start: string;
  name: string;
  executable: string;
  args: readonly string[];
  interactive: boolean;
  user: string;
  workingDirectory: string;
  parent: Proc | null;
  container: Container;
  /** Forked and waiting to exec (or to end without it), or running a program. */
  stage: "forked" | "running";
  willExec: boolean;
  isLeader: boolean;
}

const IMAGES: { image: string; tag: string; namespace: string; commands: Command[] }[] = [
  {
    image: "nginx",
    tag: "1.27.2",
    namespace: "web",
    commands: [
      { executable: "/usr/sbin/nginx", args: ["nginx", "-s", "reload"] },
      { executable: "/usr/bin/curl", args: ["curl", "-fsS", "http://127.0.0.1:8080/healthz"] },
      { executable: "/bin/sh", args: ["sh", "-c", "nginx -t && nginx -s reload"] },
      { executable: "/usr/bin/find", args: ["find", "/var/cache/nginx", "-mmin", "+60", "-delete"] },
    ],
  },
  {
    image: "python",
    tag: "3.12-slim",
    namespace: "api",
    commands: [
      { executable: "/usr/local/bin/python3.12", args: ["python", "-m", "app.worker", "--queue", "default"] },
      { executable: "/usr/local/bin/python3.12", args: ["python", "manage.py", "migrate", "--check"] },
      { executable: "/bin/sh", args: ["sh", "-c", "exec gunicorn app.wsgi -b 0.0.0.0:8000"] },
      { executable: "/usr/bin/ls", args: ["ls", "-la", "/app/static"] },
    ],
  },
  {
    image: "node",
    tag: "22-alpine",
    namespace: "frontend",
    commands: [
      { executable: "/usr/local/bin/node", args: ["node", "dist/server.js"] },
      { executable: "/usr/local/bin/node", args: ["node", "scripts/warm-cache.js", "--all"] },
      { executable: "/bin/busybox", args: ["wget", "-q", "-O-", "http://localhost:3000/health"] },
      { executable: "/bin/sh", args: ["sh", "-c", "node dist/cron.js"] },
    ],
  },
  {
    image: "postgres",
    tag: "16.4",
    namespace: "data",
    commands: [
      { executable: "/usr/lib/postgresql/16/bin/postgres", args: ["postgres", "-D", "/var/lib/postgresql/data"] },
      { executable: "/usr/bin/pg_isready", args: ["pg_isready", "-U", "postgres"], user: "postgres" },
      { executable: "/usr/lib/postgresql/16/bin/pg_dump", args: ["pg_dump", "-Fc", "app"], user: "postgres" },
    ],
  },
  {
    image: "redis",
    tag: "7.4",
    namespace: "data",
    commands: [
      { executable: "/usr/local/bin/redis-cli", args: ["redis-cli", "ping"] },
      { executable: "/usr/local/bin/redis-server", args: ["redis-server", "/etc/redis/redis.conf"] },
    ],
  },
  {
    image: "eclipse-temurin",
    tag: "21-jre",
    namespace: "payments",
    commands: [
      { executable: "/opt/java/openjdk/bin/java", args: ["java", "-Xmx512m", "-jar", "/app/payments.jar"] },
      { executable: "/usr/bin/cat", args: ["cat", "/proc/self/cgroup"] },
      { executable: "/usr/bin/timeout", args: ["timeout", "3", "curl", "-s", "http://ledger:8080/ready"] },
    ],
  },
];

/** Tools the network-tool rules look for, with realistic arguments. */
const NETWORK_TOOLS: readonly Command[] = [
  { executable: "/usr/bin/nc", args: ["nc", "-zv", "10.0.3.12", "5432"] },
  { executable: "/usr/bin/nmap", args: ["nmap", "-sT", "-p", "1-1024", "10.0.0.0/24"] },
  { executable: "/usr/bin/dig", args: ["dig", "+short", "kubernetes.default.svc.cluster.local"] },
  { executable: "/usr/bin/nslookup", args: ["nslookup", "payments.payments.svc"] },
  { executable: "/usr/sbin/tcpdump", args: ["tcpdump", "-i", "eth0", "-w", "/tmp/cap.pcap"] },
  { executable: "/usr/bin/telnet", args: ["telnet", "redis", "6379"] },
  { executable: "/usr/bin/socat", args: ["socat", "TCP-LISTEN:4444,fork", "EXEC:/bin/sh"] },
];

const WRITABLE_DIRS = ["/tmp", "/tmp/.cache", "/var/tmp", "/dev/shm", "/root"];

const ENTRY_LEADERS: Record<string, Command> = {
  nginx: { executable: "/usr/sbin/nginx", args: ["nginx", "-g", "daemon off;"] },
  python: { executable: "/usr/local/bin/python3.12", args: ["python", "-m", "app"] },
  node: { executable: "/usr/local/bin/node", args: ["node", "dist/server.js"] },
  postgres: { executable: "/usr/lib/postgresql/16/bin/postgres", args: ["postgres"] },
  redis: { executable: "/usr/local/bin/redis-server", args: ["redis-server", "*:6379"] },
  "eclipse-temurin": { executable: "/opt/java/openjdk/bin/java", args: ["java", "-jar", "/app/payments.jar"] },
};

function baseName(executable: string): string {
  return executable.slice(executable.lastIndexOf("/") + 1);
}

/** Base64url-looking process entity ids, like the ones cloud_defend writes. */
function entityId(prng: Prng): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < 43; i++) out += alphabet[Math.floor(prng.next() * alphabet.length)];
  return out;
}

/**
 * An endless, deterministic stream of events. Same seed and start: same events.
 * Pull as many as needed; only the live process pool is kept in memory.
 */
export function* generateEvents(options: GenerateOptions = {}): Generator<BenchEvent> {
  const prng = new Prng(options.seed ?? DEFAULT_SEED);
  let clock = options.start ?? DEFAULT_START;
  const timeScale = options.timeScale ?? 1;
  const hosts: Host[] = Array.from({ length: 6 }, (_, i) => ({
    name: `gke-prod-pool-${(i % 2) + 1}-${prng.hex(8)}-${prng.hex(4)}`,
    id: prng.hex(32),
    bootId: prng.hex(32),
  }));
  const containers: Container[] = Array.from({ length: 40 }, (_, i) => {
    const template = prng.pick(IMAGES);
    const leaderCommand = ENTRY_LEADERS[template.image] ?? { executable: "/bin/sh", args: ["sh"] };
    const pod = `${template.image.replace(/[^a-z]/g, "")}-${prng.hex(9)}-${prng.hex(5)}`;
    const container = {
      id: prng.hex(64),
      name: `${template.image.replace(/[^a-z]/g, "")}-${i}`,
      image: template.image,
      tag: template.tag,
      host: prng.pick(hosts),
      namespace: template.namespace,
      pod,
      podIp: `10.4.${prng.int(0, 255)}.${prng.int(2, 254)}`,
      commands: template.commands,
      nextPid: 2,
    } as Omit<Container, "leader"> as Container;
    container.leader = {
      entityId: entityId(prng),
      pid: 1,
      start: new Date(clock - prng.int(3_600_000, 86_400_000)).toISOString(),
      name: baseName(leaderCommand.executable),
      executable: leaderCommand.executable,
      args: leaderCommand.args,
      interactive: false,
      user: "root",
      workingDirectory: "/",
      parent: null,
      container,
      stage: "running",
      willExec: false,
      isLeader: true,
    };
    return container;
  });

  const live: Proc[] = [];
  while (true) {
    clock += Math.round(prng.int(1, 40) * timeScale);
    const timestamp = new Date(clock).toISOString();
    if (live.length < LIVE_PROCESSES / 2 || (live.length < LIVE_PROCESSES && prng.chance(0.34))) {
      const child = fork(prng, containers, live, timestamp);
      live.push(child);
      yield processEvent(child, "fork", timestamp);
      continue;
    }
    const index = prng.int(0, live.length - 1);
    const proc = live[index] as Proc;
    if (proc.stage === "forked" && proc.willExec) {
      exec(prng, proc);
      yield processEvent(proc, "exec", timestamp);
    } else {
      // Swap-remove: order in the pool does not matter, only the PRNG draws do.
      live[index] = live[live.length - 1] as Proc;
      live.pop();
      yield processEvent(proc, "end", timestamp, prng.chance(0.9) ? 0 : prng.pick([1, 2, 127, 137]));
    }
  }
}

/** A new process: a copy of its parent (as fork makes it), in the parent's container. */
function fork(prng: Prng, containers: readonly Container[], live: readonly Proc[], timestamp: string): Proc {
  const running = live.filter((proc) => proc.stage === "running");
  // Mostly the container's entry leader forks; sometimes a running program (a shell running a command).
  const parent = running.length > 0 && prng.chance(0.15) ? prng.pick(running) : prng.pick(containers).leader;
  const container = parent.container;
  const pid = container.nextPid;
  container.nextPid = pid >= 32_000 ? 2 : pid + prng.int(1, 7);
  return {
    entityId: entityId(prng),
    pid,
    start: timestamp,
    name: parent.name,
    executable: parent.executable,
    args: parent.args,
    interactive: parent.interactive,
    user: parent.user,
    workingDirectory: parent.workingDirectory,
    parent,
    container,
    stage: "forked",
    willExec: !prng.chance(FORK_ONLY),
    isLeader: false,
  };
}

/** The forked process loads a program: a normal one for its image, or one the seed rules look for. */
function exec(prng: Prng, proc: Proc): void {
  const roll = prng.next();
  let command: Command;
  let interactive = false;
  if (roll < NETWORK_TOOL) {
    command = prng.pick(NETWORK_TOOLS);
  } else if (roll < NETWORK_TOOL + TOOL_IN_WRITABLE_DIR) {
    const tool = prng.pick(NETWORK_TOOLS);
    command = { executable: `${prng.pick(WRITABLE_DIRS)}/${baseName(tool.executable)}`, args: tool.args };
  } else if (roll < NETWORK_TOOL + TOOL_IN_WRITABLE_DIR + INTERACTIVE_SHELL) {
    const shell = prng.pick(["/bin/bash", "/bin/sh", "/usr/bin/bash"]);
    command = { executable: shell, args: [prng.chance(0.5) ? shell : baseName(shell), prng.pick(["-i", "-il"])] };
    interactive = true;
  } else {
    command = prng.pick(proc.container.commands);
  }
  proc.stage = "running";
  proc.name = baseName(command.executable);
  proc.executable = command.executable;
  proc.args = command.args;
  proc.interactive = interactive;
  proc.user = command.user ?? proc.user;
  if (interactive) proc.workingDirectory = "/root";
}

function leaderFields(proc: Proc) {
  return {
    entity_id: proc.entityId,
    pid: proc.pid,
    start: proc.start,
    name: proc.name,
    executable: proc.executable,
    args: proc.args,
    interactive: proc.interactive,
  };
}

function processEvent(proc: Proc, action: "fork" | "exec" | "end", timestamp: string, exitCode = 0): BenchEvent {
  const { container } = proc;
  const leader = container.leader;
  const parent = proc.parent ?? leader;
  const hook =
    action === "fork"
      ? "tracepoint__sched_process_fork"
      : action === "exec"
        ? "tracepoint__sched_process_exec"
        : "tracepoint__sched_process_exit";
  return {
    "@timestamp": timestamp,
    agent: { type: "cloud-defend", version: "8.16.1", id: container.host.id.slice(0, 32) },
    cloud_defend: { hook_point: [hook], package_policy_id: "8a7b3f0e-cloud-defend", package_policy_revision: 3 },
    container: {
      id: container.id,
      name: container.name,
      image: { name: container.image, tag: container.tag },
    },
    data_stream: { dataset: "cloud_defend.process", namespace: "default", type: "logs" },
    ecs: { version: "8.7.0" },
    event: {
      kind: "event",
      category: ["process"],
      type: [action === "end" ? "end" : "start"],
      action,
      module: "cloud_defend",
      dataset: "cloud_defend.process",
    },
    host: {
      name: container.host.name,
      hostname: container.host.name,
      id: container.host.id,
      boot: { id: container.host.bootId },
      architecture: "x86_64",
      os: { type: "linux", kernel: "6.1.100+" },
    },
    orchestrator: {
      type: "kubernetes",
      cluster: { name: "prod-eu-1" },
      namespace: container.namespace,
      resource: { type: "pod", name: container.pod, ip: [container.podIp] },
    },
    process: {
      entity_id: proc.entityId,
      pid: proc.pid,
      start: proc.start,
      name: proc.name,
      executable: proc.executable,
      args: proc.args,
      args_count: proc.args.length,
      command_line: proc.args.join(" "),
      working_directory: proc.workingDirectory,
      interactive: proc.interactive,
      ...(action === "end" ? { end: timestamp, exit_code: exitCode } : {}),
      user: { id: proc.user === "root" ? "0" : "999", name: proc.user },
      parent: leaderFields(parent),
      entry_leader: {
        ...leaderFields(leader),
        same_as_process: proc.isLeader,
        entry_meta: { type: "container" },
      },
      session_leader: { ...leaderFields(leader), same_as_process: proc.isLeader },
      group_leader: { entity_id: parent.entityId, pid: parent.pid, name: parent.name, same_as_process: false },
    },
    user: { id: proc.user === "root" ? "0" : "999", name: proc.user },
  };
}

/** Where the benchmark keeps the generated file for `count` events (the .cache folder is gitignored). */
export function eventsFilePath(count: number, root: string = process.cwd()): string {
  return path.join(root, ".cache", "bench", `events-${count}.ndjson`);
}

/**
 * Writes `count` events as NDJSON, streaming: lines are gathered into ~1 MiB
 * chunks and written with backpressure, so memory does not grow with count.
 * The file appears under its name only when complete (write, then rename).
 */
export async function writeEventsFile(file: string, count: number, options: GenerateOptions = {}): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const out = fs.createWriteStream(partial);
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => {});
  let chunk = "";
  let written = 0;
  for (const event of generateEvents(options)) {
    if (written === count) break;
    chunk += `${JSON.stringify(event)}\n`;
    written++;
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await Promise.race([once(out, "drain"), failed]);
      chunk = "";
    }
  }
  out.end(chunk);
  await Promise.race([once(out, "finish"), failed]);
  await fs.promises.rename(partial, file);
}

/** The events file for `count`, generated first if it is missing. */
export async function ensureEventsFile(
  count: number,
  root: string = process.cwd(),
): Promise<{ file: string; generated: boolean }> {
  const file = eventsFilePath(count, root);
  if (fs.existsSync(file)) return { file, generated: false };
  await writeEventsFile(file, count);
  return { file, generated: true };
}
