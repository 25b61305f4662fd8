import { describe, expect, it } from "vitest";
import { bareContainerId, isoTimestamp, lookup, put, splitArgs, splitImage } from "./util";

describe("lookup", () => {
  it("reads nested, dotted and mixed keys", () => {
    expect(lookup({ process: { parent: { name: "sh" } } }, "process.parent.name")).toBe("sh");
    expect(lookup({ "process.parent.name": "sh" }, "process.parent.name")).toBe("sh");
    expect(lookup({ process: { "parent.name": "sh" } }, "process.parent.name")).toBe("sh");
    expect(lookup({ "process.parent": { name: "sh" } }, "process.parent.name")).toBe("sh");
    expect(lookup({ process: { name: "nc" } }, "process.parent.name")).toBeUndefined();
    expect(lookup({ process: "nc" }, "process.name")).toBeUndefined();
  });

  it("falls back to a dotted key when the nested branch lacks the field", () => {
    expect(lookup({ process: { pid: 1 }, "process.name": "nc" }, "process.name")).toBe("nc");
  });
});

describe("put", () => {
  it("creates nested objects and leaves out empty values", () => {
    const target: Record<string, unknown> = {};
    put(target, "process.parent.name", "sh");
    put(target, "process.name", "");
    put(target, "process.args", []);
    put(target, "process.pid", null);
    put(target, "process.executable", undefined);
    put(target, "process.interactive", false);
    expect(target).toEqual({ process: { parent: { name: "sh" }, interactive: false } });
  });
});

describe("isoTimestamp", () => {
  it("keeps UTC ISO strings as written, nanoseconds included", () => {
    expect(isoTimestamp("2024-04-01T10:04:11.208164935Z")).toBe("2024-04-01T10:04:11.208164935Z");
    expect(isoTimestamp("2024-04-01T10:04:11Z")).toBe("2024-04-01T10:04:11Z");
  });

  it("converts offsets, missing zones (UTC) and date-only strings", () => {
    expect(isoTimestamp("2024-04-01T12:04:11.5+02:00")).toBe("2024-04-01T10:04:11.500Z");
    expect(isoTimestamp("2024-04-01T12:04:11+0200")).toBe("2024-04-01T10:04:11.000Z");
    expect(isoTimestamp("2024-04-01 10:04:11")).toBe("2024-04-01T10:04:11.000Z");
    expect(isoTimestamp("2024-04-01")).toBe("2024-04-01T00:00:00.000Z");
  });

  it("reads epoch seconds, milliseconds, microseconds and nanoseconds", () => {
    const iso = "2024-04-01T10:04:11.208Z";
    expect(isoTimestamp(1711965851.208)).toBe(iso);
    expect(isoTimestamp(1711965851208)).toBe(iso);
    expect(isoTimestamp(1711965851208164)).toBe(iso);
    // JSON numbers this large are doubles already; nanosecond epochs arrive rounded like this.
    expect(isoTimestamp(1711965851208164900)).toBe(iso);
    expect(isoTimestamp("1711965851208")).toBe(iso);
  });

  it("refuses what is not a date", () => {
    for (const value of ["yesterday", "2024-13-45T99:00:00Z", "", "12", true, null, {}, -5, Number.NaN]) {
      expect(isoTimestamp(value)).toBeUndefined();
    }
  });

  it("refuses days a month does not have, instead of rolling them over", () => {
    for (const value of ["2026-02-30T00:00:00Z", "2026-02-29", "2026-04-31 10:00", "2026-06-31T10:00:00+02:00"]) {
      expect(isoTimestamp(value), value).toBeUndefined();
    }
    expect(isoTimestamp("2024-02-29T00:00:00Z")).toBe("2024-02-29T00:00:00Z");
    expect(isoTimestamp("2000-02-29")).toBe("2000-02-29T00:00:00.000Z");
    expect(isoTimestamp("1900-02-29")).toBeUndefined();
  });
});

describe("splitArgs", () => {
  it("splits on blanks and honours quotes and escapes", () => {
    expect(splitArgs("-lvnp 4444")).toEqual(["-lvnp", "4444"]);
    expect(splitArgs('-c "echo hi && id"  x')).toEqual(["-c", "echo hi && id", "x"]);
    expect(splitArgs("-c 'a \"b\"' c\\ d")).toEqual(["-c", 'a "b"', "c d"]);
    expect(splitArgs('"say \\"hi\\""')).toEqual(['say "hi"']);
    expect(splitArgs('""')).toEqual([""]);
    expect(splitArgs("   ")).toEqual([]);
  });
});

describe("splitImage", () => {
  it("separates name, tag and digest, minding registry ports", () => {
    expect(splitImage("docker.io/library/nginx:1.25")).toEqual({ name: "docker.io/library/nginx", tag: "1.25" });
    expect(splitImage("localhost:5000/app")).toEqual({ name: "localhost:5000/app" });
    expect(splitImage("localhost:5000/app:v2@sha256:ab12")).toEqual({
      name: "localhost:5000/app",
      tag: "v2",
      digest: "sha256:ab12",
    });
  });

  it("strips the runtime prefix of container ids", () => {
    expect(bareContainerId("containerd://3f1c2b")).toBe("3f1c2b");
    expect(bareContainerId("cri-o://3f1c2b")).toBe("3f1c2b");
    expect(bareContainerId("3f1c2b")).toBe("3f1c2b");
    expect(bareContainerId("docker://")).toBeUndefined();
  });
});
