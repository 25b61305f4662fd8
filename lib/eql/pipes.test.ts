import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EqlError } from "./errors";
import { parse } from "./parser";
import { compilePipes, type LimitPipe, Pipeline } from "./pipes";
import type { EqlResult } from "./types";

function pipesOf(text: string): LimitPipe[] {
  return compilePipes(parse(text).pipes);
}

function errorOf(text: string): EqlError {
  try {
    pipesOf(text);
  } catch (error) {
    if (error instanceof EqlError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be rejected`);
}

const result = (id: number): EqlResult => ({ kind: "event", event: { id } });
const idsOf = (results: EqlResult[]) => results.map((r) => (r.kind === "event" ? r.event.id : null));

describe("compilePipes", () => {
  it("reads head and tail counts", () => {
    expect(pipesOf("any where true | head 3 | tail 0")).toEqual([
      { kind: "head", count: 3 },
      { kind: "tail", count: 0 },
    ]);
  });

  it("rejects an unknown pipe at its name", () => {
    const error = errorOf("any where true | head 1 | sort x");
    expect(error.code).toBe("unknown_pipe");
    expect(error.column).toBe(27);
    expect(error.message).toContain("sort");
  });

  it("rejects a head without a count, or with two", () => {
    expect(errorOf("any where true | head").code).toBe("arity");
    expect(errorOf("any where true | tail 1, 2").code).toBe("arity");
  });

  it("rejects counts that are not non-negative integer literals", () => {
    expect(errorOf("any where true | head 1.5").code).toBe("type");
    expect(errorOf('any where true | head "3"').code).toBe("type");
    expect(errorOf("any where true | head x").code).toBe("type");
    const negative = errorOf("any where true | tail -2");
    expect(negative.code).toBe("invalid");
    expect(negative.column).toBe(23);
  });
});

describe("Pipeline", () => {
  const feed = (pipeline: Pipeline, count: number) => {
    const out: EqlResult[] = [];
    for (let id = 1; id <= count; id++) out.push(...pipeline.push([result(id)]));
    return [...out, ...pipeline.finish()];
  };

  it("passes head results through as they arrive and holds tail results to the end", () => {
    const head = new Pipeline([{ kind: "head", count: 2 }], undefined);
    expect(idsOf(head.push([result(1)]))).toEqual([1]);
    const tail = new Pipeline([{ kind: "tail", count: 2 }], undefined);
    expect(tail.push([result(1), result(2), result(3)])).toEqual([]);
    expect(idsOf(tail.finish())).toEqual([2, 3]);
  });

  it("is closed once a head before any tail is full", () => {
    const pipeline = new Pipeline([{ kind: "head", count: 1 }], undefined);
    expect(pipeline.closed).toBe(false);
    pipeline.push([result(1)]);
    expect(pipeline.closed).toBe(true);
    const tailFirst = new Pipeline(
      [
        { kind: "tail", count: 1 },
        { kind: "head", count: 0 },
      ],
      undefined,
    );
    expect(tailFirst.closed).toBe(false);
    expect(new Pipeline([], 0).closed).toBe(true);
  });

  it("applies size after the pipes", () => {
    expect(idsOf(feed(new Pipeline([{ kind: "tail", count: 3 }], 2), 10))).toEqual([8, 9]);
  });

  it("matches slicing an array, for any chain of heads and tails", () => {
    const pipe = fc.record({ kind: fc.constantFrom("head" as const, "tail" as const), count: fc.nat(6) });
    fc.assert(
      fc.property(
        fc.array(pipe, { maxLength: 4 }),
        fc.nat(12),
        fc.option(fc.nat(5), { nil: undefined }),
        (pipes, n, size) => {
          let expected = Array.from({ length: n }, (_, i) => i + 1);
          for (const p of pipes) {
            expected =
              p.kind === "head" ? expected.slice(0, p.count) : expected.slice(Math.max(0, expected.length - p.count));
          }
          if (size !== undefined) expected = expected.slice(0, size);
          expect(idsOf(feed(new Pipeline(pipes, size), n))).toEqual(expected);
        },
      ),
    );
  });
});
