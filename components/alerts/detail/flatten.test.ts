import { describe, expect, it } from "vitest";
import { fieldText, filterRows, flattenDocument } from "./flatten";

describe("flattenDocument", () => {
  it("names nested fields with dots, sorted, and keeps multi-valued fields as lists", () => {
    const rows = flattenDocument({
      process: { name: "nc", args: ["nc", "-l", "4444"], pid: 42, parent: { name: "sh" } },
      "@timestamp": "2026-11-23T06:00:00Z",
      event: { category: ["process"] },
    });
    expect(rows).toEqual([
      { field: "@timestamp", values: ["2026-11-23T06:00:00Z"] },
      { field: "event.category", values: ["process"] },
      { field: "process.args", values: ["nc", "-l", "4444"] },
      { field: "process.name", values: ["nc"] },
      { field: "process.parent.name", values: ["sh"] },
      { field: "process.pid", values: ["42"] },
    ]);
  });

  it("merges arrays of objects under the same names, and keeps null, booleans and empties visible", () => {
    const rows = flattenDocument({ ip: [{ a: 1 }, { a: 2, b: true }], gone: null, none: [], blank: {} });
    expect(rows).toEqual([
      { field: "blank", values: [] },
      { field: "gone", values: ["null"] },
      { field: "ip.a", values: ["1", "2"] },
      { field: "ip.b", values: ["true"] },
      { field: "none", values: [] },
    ]);
  });

  it("keeps markup in values as the plain text it is", () => {
    expect(flattenDocument({ x: "<script>alert(1)</script>" })).toEqual([
      { field: "x", values: ["<script>alert(1)</script>"] },
    ]);
  });
});

describe("filterRows", () => {
  const rows = flattenDocument({ process: { name: "NC", args: ["-l"] }, host: { name: "node-1" } });
  it("matches field names and values, ignoring case", () => {
    expect(filterRows(rows, "PROCESS").map((r) => r.field)).toEqual(["process.args", "process.name"]);
    expect(filterRows(rows, "nc").map((r) => r.field)).toEqual(["process.name"]);
    expect(filterRows(rows, "-L").map((r) => r.field)).toEqual(["process.args"]);
    expect(filterRows(rows, "  ")).toHaveLength(3);
    expect(filterRows(rows, "zzz")).toEqual([]);
  });
});

describe("fieldText", () => {
  it("reads nested and dotted keys, first of a list", () => {
    expect(fieldText({ process: { command_line: "nc -l" } }, "process.command_line")).toBe("nc -l");
    expect(fieldText({ "process.command_line": "dig" }, "process.command_line")).toBe("dig");
    expect(fieldText({ process: { "parent.name": "sh" } }, "process.parent.name")).toBe("sh");
    expect(fieldText({ host: { ip: ["10.0.0.1", "::1"] } }, "host.ip")).toBe("10.0.0.1");
    expect(fieldText({ process: { pid: 7 } }, "process.pid")).toBe("7");
    expect(fieldText({ process: {} }, "process.name")).toBeNull();
  });
});
