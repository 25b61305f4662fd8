import fs from "node:fs";
import path from "node:path";

/** Every end-to-end run starts from an empty database (the server migrates it on start). */
export default function globalSetup(): void {
  const dir = path.join(import.meta.dirname, "..", ".cache", "e2e");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}
