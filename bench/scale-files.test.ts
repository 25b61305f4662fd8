import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { eventsFilePath, writeEventsFile } from "./generate";
import { copyLeadingLines, ensureGzipFile, ensureHalfFiles, ensureScaleFiles } from "./scale-files";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-scale-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("scale files", () => {
  it("makes smaller files as the leading lines of the largest, byte for byte what the generator writes", async () => {
    const files = await ensureScaleFiles([120, 50], root);
    expect([...files.keys()].sort((a, b) => a - b)).toEqual([50, 120]);
    const small = fs.readFileSync(files.get(50) as string, "utf8");
    expect(small.split("\n").filter(Boolean)).toHaveLength(50);
    const direct = path.join(root, "direct.ndjson");
    await writeEventsFile(direct, 50);
    expect(small).toBe(fs.readFileSync(direct, "utf8"));
    expect(files.get(120)).toBe(eventsFilePath(120, root));
  });

  it("refuses to copy more lines than the source holds, leaving no partial file", async () => {
    const source = path.join(root, "three.ndjson");
    fs.writeFileSync(source, "{}\n{}\n{}\n");
    await expect(copyLeadingLines(source, path.join(root, "four.ndjson"), 4)).rejects.toThrow(/fewer than 4 lines/);
    expect(fs.existsSync(path.join(root, "four.ndjson.partial"))).toBe(false);
  });

  it("splits a file into two halves that together are the whole, in order", async () => {
    const [first, second] = await ensureHalfFiles(120, root);
    const whole = fs.readFileSync(eventsFilePath(120, root), "utf8");
    const halves = [fs.readFileSync(first, "utf8"), fs.readFileSync(second, "utf8")];
    expect(halves.map((text) => text.split("\n").filter(Boolean).length)).toEqual([60, 60]);
    expect(halves.join("")).toBe(whole);
  });

  it("gzips a file once, to the same content", async () => {
    const source = path.join(root, "three.ndjson");
    const gz = await ensureGzipFile(source);
    expect(gunzipSync(fs.readFileSync(gz)).toString("utf8")).toBe("{}\n{}\n{}\n");
    const made = fs.statSync(gz).mtimeMs;
    expect(await ensureGzipFile(source)).toBe(gz);
    expect(fs.statSync(gz).mtimeMs).toBe(made);
  });
});
