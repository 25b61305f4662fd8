/**
 * Upload files for the stress suite: consecutive slices of one deterministic
 * cloud_defend stream (bench/generate.ts), so every event is distinct, the
 * files are the same on every run, and about 1% of events hit each seed rule.
 */
import fs from "node:fs";
import path from "node:path";
import { generateEvents } from "@/bench/generate";

export function writeUploadFiles(dir: string, files: number, eventsPerFile: number, seed: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const stream = generateEvents({ seed });
  const paths: string[] = [];
  for (let index = 0; index < files; index++) {
    const lines: string[] = [];
    for (let count = 0; count < eventsPerFile; count++) {
      const next = stream.next();
      if (next.done) throw new Error("the event generator ended early");
      lines.push(JSON.stringify(next.value));
    }
    const file = path.join(dir, `upload-${String(index + 1).padStart(2, "0")}.ndjson`);
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    paths.push(file);
  }
  return paths;
}
