/**
 * The pipes of an EQL query (`| head N`, `| tail N`) and the `size` option,
 * as a chain of streaming stages over results.
 *
 * Elasticsearch EQL has exactly two pipes, both taking one non-negative
 * integer. They apply left to right to the ordered results of the query:
 * `head N` keeps the first N, `tail N` the last N. A head can pass results
 * on as soon as they arrive; a tail only knows its results at the end.
 */
import type { Pipe } from "./ast";
import { EqlError } from "./errors";
import type { EqlResult } from "./types";

export interface LimitPipe {
  kind: "head" | "tail";
  count: number;
}

/** Check every pipe once, at compile time, and reduce it to what the runner needs. */
export function compilePipes(pipes: readonly Pipe[]): LimitPipe[] {
  return pipes.map(compilePipe);
}

function compilePipe(pipe: Pipe): LimitPipe {
  if (pipe.name !== "head" && pipe.name !== "tail") {
    throw new EqlError("unknown_pipe", `unknown pipe [${pipe.name}]; EQL supports head and tail`, pipe.nameSpan);
  }
  if (pipe.args.length !== 1) {
    throw new EqlError(
      "arity",
      `pipe [${pipe.name}] takes one argument, the number of results, but was given ${pipe.args.length}`,
      pipe.args.length > 1 ? (pipe.args[1] as Pipe["args"][number]).span : pipe.span,
    );
  }
  const arg = pipe.args[0] as Pipe["args"][number];
  if (arg.kind !== "literal" || arg.type !== "integer" || typeof arg.value !== "number") {
    throw new EqlError(
      "type",
      `pipe [${pipe.name}] needs a whole number of results, such as ${pipe.name} 10`,
      arg.span,
    );
  }
  if (arg.value < 0 || !Number.isSafeInteger(arg.value)) {
    throw new EqlError("invalid", `pipe [${pipe.name}] needs a non-negative number, not ${arg.value}`, arg.span);
  }
  return { kind: pipe.name, count: arg.value };
}

/** One streaming step of the chain. */
export interface ResultStage {
  push(result: EqlResult): EqlResult[];
  finish(): EqlResult[];
  /** True when no further input can change the output (a head that is full). */
  readonly closed: boolean;
}

const NOTHING: EqlResult[] = [];

class HeadStage implements ResultStage {
  private remaining: number;
  constructor(count: number) {
    this.remaining = count;
  }
  get closed(): boolean {
    return this.remaining <= 0;
  }
  push(result: EqlResult): EqlResult[] {
    if (this.remaining <= 0) return NOTHING;
    this.remaining--;
    return [result];
  }
  finish(): EqlResult[] {
    return NOTHING;
  }
}

/** Keeps the last `count` results in a ring buffer, so memory is bounded by `count`. */
class TailStage implements ResultStage {
  private readonly buffer: EqlResult[] = [];
  private start = 0;
  constructor(private readonly count: number) {}
  get closed(): boolean {
    return false;
  }
  push(result: EqlResult): EqlResult[] {
    if (this.count === 0) return NOTHING;
    if (this.buffer.length < this.count) {
      this.buffer.push(result);
    } else {
      this.buffer[this.start] = result;
      this.start = (this.start + 1) % this.count;
    }
    return NOTHING;
  }
  finish(): EqlResult[] {
    const ordered = [...this.buffer.slice(this.start), ...this.buffer.slice(0, this.start)];
    this.buffer.length = 0;
    this.start = 0;
    return ordered;
  }
}

/**
 * The whole chain: `push` feeds one result through every stage, `finish`
 * flushes each stage in turn through the stages after it.
 */
export class Pipeline {
  private readonly stages: ResultStage[];

  constructor(pipes: readonly LimitPipe[], size: number | undefined) {
    this.stages = pipes.map((pipe) => (pipe.kind === "head" ? new HeadStage(pipe.count) : new TailStage(pipe.count)));
    // `size` caps what the request returns, after the pipes.
    if (size !== undefined) this.stages.push(new HeadStage(size));
  }

  /**
   * True when a head before any tail is full: nothing pushed from now on can
   * reach the output, so the caller may stop evaluating events.
   */
  get closed(): boolean {
    for (const stage of this.stages) {
      if (stage.closed) return true;
      if (stage instanceof TailStage) return false;
    }
    return false;
  }

  push(results: readonly EqlResult[]): EqlResult[] {
    let current: readonly EqlResult[] = results;
    for (const stage of this.stages) {
      if (current.length === 0) return NOTHING;
      const next: EqlResult[] = [];
      for (const result of current) {
        for (const out of stage.push(result)) next.push(out);
      }
      current = next;
    }
    return current as EqlResult[];
  }

  finish(): EqlResult[] {
    const output: EqlResult[] = [];
    for (let i = 0; i < this.stages.length; i++) {
      let current = (this.stages[i] as ResultStage).finish();
      for (let j = i + 1; j < this.stages.length && current.length > 0; j++) {
        const stage = this.stages[j] as ResultStage;
        const next: EqlResult[] = [];
        for (const result of current) {
          for (const out of stage.push(result)) next.push(out);
        }
        current = next;
      }
      for (const result of current) output.push(result);
    }
    return output;
  }
}
