import { describe, expect, it } from "vitest";
import { formatLabel } from "./format";

describe("formatLabel", () => {
  it("names the formats the form offers, and a mixed stream", () => {
    expect(formatLabel("falco")).toBe("Falco JSON output");
    expect(formatLabel("mixed")).toBe("Mixed (several formats)");
    expect(formatLabel("something-new")).toBe("something-new");
  });
});
