import { describe, expect, it } from "vitest";
import { UsageError } from "./io";
import { parseOptions } from "./options";

const OPTIONS = { events: { type: "string" }, stats: { type: "boolean" } } as const;

describe("parseOptions", () => {
  it("reads the command's options, leaving out what was not given", () => {
    expect(parseOptions(["--events", "a.ndjson", "--stats"], OPTIONS)).toEqual({ events: "a.ndjson", stats: true });
    expect(parseOptions(["--events=-"], OPTIONS)).toEqual({ events: "-" });
  });

  it.each([
    [["--eventz", "a.ndjson"], /Unknown option '--eventz'/],
    [["--events"], /--events <value>' argument missing/],
    [["a.ndjson"], /Unexpected argument 'a.ndjson'/],
  ])("refuses %j as a usage error", (argv, message) => {
    expect(() => parseOptions(argv, OPTIONS)).toThrow(UsageError);
    expect(() => parseOptions(argv, OPTIONS)).toThrow(message);
  });
});
