import { describe, expect, it } from "vitest";
import { commandNames, loadCommand, SUMMARIES } from "./main";

describe("keelwatch --help", () => {
  it("knows every command's summary without loading it, and the summaries match the commands' own", async () => {
    for (const name of commandNames()) {
      const command = await loadCommand(name);
      expect(SUMMARIES[name], `lib/cli/main.ts SUMMARIES.${name}`).toBe(command?.summary);
    }
    expect(await loadCommand("frobnicate")).toBeNull();
  });
});
