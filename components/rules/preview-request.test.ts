import { describe, expect, it } from "vitest";
import { previewScope, sampleStep } from "./preview-request";

const now = new Date("2026-11-23T12:00:00.000Z");

describe("previewScope", () => {
  it("turns a preset into a range ending now", () => {
    expect(previewScope({ kind: "preset", range: "24h" }, now)).toEqual({
      ok: true,
      scope: { from: "2026-11-22T12:00:00.000Z", to: "2026-11-23T12:00:00.000Z" },
    });
    expect(previewScope({ kind: "preset", range: "30d" }, now)).toMatchObject({
      scope: { from: "2026-10-24T12:00:00.000Z" },
    });
  });

  it("reads custom times as UTC and refuses an empty or backwards range", () => {
    expect(previewScope({ kind: "custom", from: "2026-11-01T08:30", to: "2026-11-02T00:00:15" }, now)).toEqual({
      ok: true,
      scope: { from: "2026-11-01T08:30:00.000Z", to: "2026-11-02T00:00:15.000Z" },
    });
    expect(previewScope({ kind: "custom", from: "", to: "2026-11-02T00:00" }, now)).toEqual({
      ok: false,
      error: "Enter a start time (From).",
    });
    expect(previewScope({ kind: "custom", from: "2026-11-02T00:00", to: "nonsense" }, now)).toEqual({
      ok: false,
      error: "Enter an end time (To).",
    });
    expect(previewScope({ kind: "custom", from: "2026-11-02T00:00", to: "2026-11-02T00:00" }, now)).toEqual({
      ok: false,
      error: "From must be before To.",
    });
  });

  it("sends an upload by id, and asks for one when none is chosen", () => {
    expect(previewScope({ kind: "upload", uploadId: "up_1" }, now)).toEqual({ ok: true, scope: { uploadId: "up_1" } });
    expect(previewScope({ kind: "upload", uploadId: "" }, now)).toEqual({ ok: false, error: "Choose an upload." });
  });
});

describe("sampleStep", () => {
  it("reads the columns from nested and dotted ECS fields", () => {
    const event = {
      "@timestamp": "2026-11-23T08:00:01.000Z",
      container: { id: "3f9a", name: "checkout-api", "image.name": "registry.local/checkout" },
      process: { executable: "/usr/bin/nc", name: "nc", args: ["nc", "-lvp", "4444"] },
    };
    expect(sampleStep(event, 7, "@timestamp")).toEqual({
      missing: false,
      time: "2026-11-23T08:00:01.000Z",
      container: "checkout-api",
      image: "registry.local/checkout",
      process: "/usr/bin/nc",
      commandLine: "nc -lvp 4444",
    });
  });

  it("falls back to the container id, process name and command line, and leaves absent fields null", () => {
    const event = {
      event: { created: "2026-11-23T08:00:02Z" },
      container: { id: "3f9a" },
      process: { name: "sh", command_line: "sh -c 'id'" },
    };
    expect(sampleStep(event, 8, "event.created")).toEqual({
      missing: false,
      time: "2026-11-23T08:00:02Z",
      container: "3f9a",
      image: null,
      process: "sh",
      commandLine: "sh -c 'id'",
    });
  });

  it("marks a sequence's missing event", () => {
    expect(sampleStep({}, null, "@timestamp")).toMatchObject({ missing: true, process: null });
    // An empty stored event is still an event.
    expect(sampleStep({}, 3, "@timestamp").missing).toBe(false);
  });
});
