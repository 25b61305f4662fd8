/**
 * Writes the sample incidents (public/samples/incident-<format>.ndjson) from
 * lib/samples. Deterministic: run it again and the files do not change.
 * Usage: npm run samples
 */
import fs from "node:fs";
import path from "node:path";
import { SAMPLE_FORMATS, sampleFileName } from "../lib/samples/formats";
import { generateSamples } from "../lib/samples/generate";

const outDir = path.resolve(import.meta.dirname, "..", "public", "samples");
fs.mkdirSync(outDir, { recursive: true });
const samples = generateSamples();
for (const format of SAMPLE_FORMATS) {
  const file = path.join(outDir, sampleFileName(format));
  fs.writeFileSync(file, samples[format]);
  const lines = samples[format].split("\n").filter(Boolean).length;
  console.log(`${path.relative(process.cwd(), file)}: ${lines} events`);
}
