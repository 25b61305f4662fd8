import fs from "node:fs";
import path from "node:path";

/**
 * For tests that check every API route: the route files under app/api, read from the file system so that a new
 * route is checked without being listed anywhere.
 */
export const API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export const API_ROOT = path.resolve(import.meta.dirname, "..", "..", "app", "api");

export interface ApiRouteFile {
  file: string;
  /** the path below /api, e.g. "alerts/[id]" */
  route: string;
}

export function apiRouteFiles(dir = API_ROOT): ApiRouteFile[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return apiRouteFiles(full);
    if (entry.name !== "route.ts") return [];
    return [{ file: full, route: path.relative(API_ROOT, dir).split(path.sep).join("/") }];
  });
}
