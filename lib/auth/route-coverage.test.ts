import { describe, expect, it } from "vitest";
import { apiRouteFiles, API_METHODS as METHODS } from "../app/api-route-files";
import { setUpTestDatabase } from "../db/test-database-hooks";
import { apiRequest } from "./test-helpers";

/**
 * Every route under app/api must refuse a request without credentials.
 * The list is read from the file system, so a new route that forgets the
 * guard fails here. Routes public by design are named explicitly.
 */
const PUBLIC_ROUTES = new Set(["health", "auth/login"]);

setUpTestDatabase();

const routes = apiRouteFiles();

describe("every API route is guarded", () => {
  it("finds the route files", () => {
    expect(routes.map((r) => r.route)).toContain("health");
  });

  for (const { file, route } of routes.filter((r) => !PUBLIC_ROUTES.has(r.route))) {
    it(`/api/${route} answers 401 without credentials`, async () => {
      const module = (await import(file)) as Record<string, unknown>;
      const handlers = METHODS.filter((method) => typeof module[method] === "function");
      expect(handlers.length).toBeGreaterThan(0);
      const concrete = route.replace(/\[\.{0,3}([^\]]+)\]/g, "x");
      for (const method of handlers) {
        const handler = module[method] as (request: Request, context: unknown) => Promise<Response>;
        const response = await handler(apiRequest(`/api/${concrete}`, { method }), {
          params: Promise.resolve(new Proxy({}, { get: () => "x" })),
        });
        expect(response.status, `${method} /api/${route}`).toBe(401);
      }
    });
  }
});
