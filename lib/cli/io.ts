import type { Readable, Writable } from "node:stream";

/**
 * What a command may touch of the outside world. Commands receive it instead
 * of reaching for process.stdout, so tests can run them in-process.
 */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Every `keelwatch <command>` module exports this shape. */
export interface CliCommand {
  /** One line shown in `keelwatch --help`. */
  summary: string;
  /** Full `keelwatch <command> --help` text. */
  help: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}

/** A usage problem: the dispatcher prints the message and the command's help, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
