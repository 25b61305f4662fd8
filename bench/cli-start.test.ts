import { describe, expect, it } from "vitest";
import { cliStartSection, median } from "./cli-start";

describe("cli start-up figures", () => {
  it("takes medians and judges their ratio against 2×", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const met = cliStartSection({ runs: 3, nodeMillis: [40, 50, 60], helpMillis: [90, 100, 500] });
    expect(met.verdicts[0]).toMatchObject({ measured: "2.00× (100 ms / 50 ms)", met: true });
    const missed = cliStartSection({ runs: 1, nodeMillis: [50], helpMillis: [101] });
    expect(missed.verdicts[0]?.met).toBe(false);
  });
});
