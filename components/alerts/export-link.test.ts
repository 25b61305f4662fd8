import { describe, expect, it } from "vitest";
import { exportHref } from "./export-link";

describe("exportHref", () => {
  it("carries the list's filters and sort, and the format", () => {
    const href = exportHref(
      { status: ["open", "acknowledged"], severity: ["high"], q: "nc -l", container: "c1", sort: "risk" },
      "ndjson",
    );
    const url = new URL(href, "http://keelwatch.test");
    expect(url.pathname).toBe("/api/alerts/export");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: "open,acknowledged",
      severity: "high",
      q: "nc -l",
      container: "c1",
      sort: "risk",
      format: "ndjson",
    });
  });

  it("turns a relative range into `from` at the moment the link is followed", () => {
    const now = Date.parse("2026-11-23T12:00:30Z");
    const url = new URL(exportHref({ status: [], severity: [], range: "24h", sort: "newest" }, "csv", now), "http://k");
    expect(url.searchParams.get("from")).toBe("2026-11-22T12:00:00.000Z");
    expect(url.searchParams.get("to")).toBeNull();
  });
});
