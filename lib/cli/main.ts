import type { CliCommand, CliIO } from "./io";
import { UsageError } from "./io";

/**
 * `keelwatch <command> ...`: a thin dispatcher over lib/. Commands are loaded
 * on demand so `keelwatch db status` does not pay for the EQL engine.
 */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  eql: async () => (await import("./commands/eql")).eqlCommand,
  detect: async () => (await import("./commands/detect")).detectCommand,
  ingest: async () => (await import("./commands/ingest")).ingestCommand,
  rules: async () => (await import("./commands/rules")).rulesCommand,
  token: async () => (await import("./commands/token")).tokenCommand,
  db: async () => (await import("./commands/db")).dbCommand,
  demo: async () => (await import("./commands/demo")).demoCommand,
  notify: async () => (await import("./commands/notify")).notifyCommand,
  hunt: async () => (await import("./commands/hunt")).huntCommand,
};

/**
 * Each command's one-line summary, known without loading it: `keelwatch --help`
 * then loads no command module (some pull in Prisma and SQLite), so it starts as
 * fast as node. main.test.ts checks these against the modules' own summaries.
 */
export const SUMMARIES: Readonly<Record<string, string>> = {
  eql: "run an EQL query over an events file",
  detect: "run detection rules over an events file, offline",
  ingest: "stream an events file to a running server",
  rules: "list, import and export detection rules",
  token: "create API tokens for scripts",
  db: "apply or inspect database migrations",
  demo: "load (or --remove) the sample incident",
  notify: "send a test notification through a channel",
  hunt: "run an EQL hunt over the stored events",
};

/** The command names and their loaders, for tests that go through every command. */
export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

export async function loadCommand(name: string): Promise<CliCommand | null> {
  const load = COMMANDS[name];
  return load ? load() : null;
}

async function overview(): Promise<string> {
  const lines = ["Usage: keelwatch <command> [options]", "", "Commands:"];
  for (const [name, load] of Object.entries(COMMANDS)) {
    lines.push(`  ${name.padEnd(8)} ${SUMMARIES[name] ?? (await load()).summary}`);
  }
  lines.push("", "Run `keelwatch <command> --help` for a command's options.");
  return `${lines.join("\n")}\n`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(await overview());
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`keelwatch: unknown command "${name}"\n\n${await overview()}`);
    return 2;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(command.help.endsWith("\n") ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`keelwatch ${name}: ${error.message}\n\n${command.help}\n`);
      return 2;
    }
    throw error;
  }
}
