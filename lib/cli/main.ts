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
};

async function overview(): Promise<string> {
  const lines = ["Usage: keelwatch <command> [options]", "", "Commands:"];
  for (const [name, load] of Object.entries(COMMANDS)) {
    lines.push(`  ${name.padEnd(8)} ${(await load()).summary}`);
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
