import { describe, expect, it } from "vitest";
import type { PassResult } from "./measure";
import { consoleTable, eventsPerSecond, heapGrowth, markdownTable, type Row, ratioToFloor } from "./report";

const pass = (millis: number, heap: number[] = []): PassResult => ({
  events: 1_000,
  millis,
  results: 10,
  heap: heap.map((heapUsed, i) => ({ fraction: (i + 1) / 4, heapUsed })),
  maxRss: 100 * 1024 ** 2,
});

describe("report", () => {
  it("computes rates, ratios to the floor and heap growth", () => {
    expect(eventsPerSecond(pass(500))).toBe(2_000);
    expect(ratioToFloor(pass(750), pass(500))).toBe(1.5);
    expect(heapGrowth([])).toBeNull();
    expect(heapGrowth(pass(1, [10, 12, 15, 20]).heap)).toBe(2);
  });

  it("renders rows as aligned text and as a markdown table with escaped cells", () => {
    const floor = pass(500, [1024 ** 2, 1024 ** 2, 1024 ** 2, 1024 ** 2]);
    const rows: Row[] = [
      { name: "floor", detail: "", result: floor, versusFloor: true },
      { name: "a | b", detail: "", result: pass(1_000), versusFloor: true },
    ];
    const text = consoleTable(rows, floor).split("\n");
    expect(text).toHaveLength(3);
    expect(new Set(text.map((line) => line.length)).size).toBe(1);
    const markdown = markdownTable(rows, floor).split("\n");
    expect(markdown[2]).toContain("| floor | 1,000 | 0.50 | 2,000 | 1.00 | 10 | 1.0 / 1.0 / 1.0 / 1.0 | 100.0 |");
    expect(markdown[3]).toContain("a \\| b");
    expect(markdown[3]).toContain("| 2.00 |");
  });
});
