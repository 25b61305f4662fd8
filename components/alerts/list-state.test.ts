import { describe, expect, it } from "vitest";
import { apiSearchParams, hasActiveFilters, readListState, writeListState } from "./list-state";

describe("alert list URL state", () => {
  it("round-trips every filter through the address bar", () => {
    const query =
      "status=open&status=acknowledged&severity=high&rule=r1&container=c1&host=h1&q=nc+-l&from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-02T00%3A00%3A00.000Z&sort=risk&group=host";
    const state = readListState(new URLSearchParams(query));
    expect(state).toEqual({
      filter: {
        status: ["open", "acknowledged"],
        severity: ["high"],
        rule: "r1",
        container: "c1",
        host: "h1",
        q: "nc -l",
        from: "2026-11-01T00:00:00.000Z",
        to: "2026-11-02T00:00:00.000Z",
        sort: "risk",
      },
      group: "host",
    });
    expect(readListState(writeListState(state))).toEqual(state);
  });

  it("drops values it does not know and keeps the plain URL plain", () => {
    const state = readListState(new URLSearchParams("status=pending&severity=HIGH,low&sort=x&group=planet&from=soon"));
    expect(state).toEqual({ filter: { status: [], severity: ["low"], sort: "newest" }, group: undefined });
    expect(writeListState({ filter: { status: [], severity: [], sort: "newest" } }).toString()).toBe("");
    expect(hasActiveFilters(state.filter)).toBe(true);
    expect(hasActiveFilters({ status: [], severity: [], sort: "risk" })).toBe(false);
  });

  it("turns a relative range into `from` for the API", () => {
    const now = Date.parse("2026-11-23T10:30:45Z");
    const params = apiSearchParams({ status: ["open"], severity: [], range: "24h", to: "x", sort: "newest" }, now);
    expect(Object.fromEntries(params)).toEqual({ status: "open", from: "2026-11-22T10:30:00.000Z", sort: "newest" });
  });
});
