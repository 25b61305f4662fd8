import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { API_ROOT, apiRouteFiles, API_METHODS as METHODS } from "./api-route-files";

/**
 * Every API route, with PostgreSQL out of reach (a restart, a failover, a network fault): it answers 503
 * `database_unreachable` with Retry-After, which a load balancer or a sensor retries, never a bare 500. The route
 * list is read from the file system, so a new route that forgets withStorageErrors fails here.
 */
/** Routes that answer without the database: the API description, and health (which reports the database itself). */
const NO_DATABASE = new Set(["openapi.json"]);

const routes = apiRouteFiles();

const saved = { url: process.env.DATABASE_URL, key: process.env.KEELWATCH_SECRET_KEY };
beforeAll(async () => {
  // A port nobody listens on: taken from the system, then freed.
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
  process.env.DATABASE_URL = `postgresql://keelwatch@127.0.0.1:${port}/keelwatch`;
  process.env.KEELWATCH_SECRET_KEY = "database-unreachable-test";
});
afterAll(async () => {
  await prisma().$disconnect();
  process.env.DATABASE_URL = saved.url;
  process.env.KEELWATCH_SECRET_KEY = saved.key;
});

/** A request an API client sends: a token to look up, a JSON body where one is expected. */
function request(route: string, method: string): Request {
  const url = `http://keelwatch.test/api/${route.replace(/\[\.{0,3}([^\]]+)\]/g, "x")}`;
  const body =
    method === "GET" || method === "DELETE"
      ? undefined
      : JSON.stringify(route === "auth/login" ? { username: "ana", password: "a long enough password" } : {});
  return new Request(url, {
    method,
    body,
    headers: {
      authorization: `Bearer kw_${"a".repeat(43)}`,
      origin: "http://keelwatch.test",
      "content-type": "application/json",
    },
  });
}

describe("every API route with the database out of reach", () => {
  it("finds the route files", () => {
    expect(routes.map((r) => r.route)).toContain("alerts");
  });

  for (const { file, route } of routes.filter((r) => r.route !== "health" && !NO_DATABASE.has(r.route))) {
    it(`/api/${route} answers 503 database_unreachable`, async () => {
      const module = (await import(file)) as Record<string, unknown>;
      const handlers = METHODS.filter((method) => typeof module[method] === "function");
      expect(handlers.length).toBeGreaterThan(0);
      for (const method of handlers) {
        const handler = module[method] as (request: Request, context: unknown) => Promise<Response>;
        const response = await handler(request(route, method), {
          params: Promise.resolve(new Proxy({}, { get: () => "x" })),
        });
        const text = await response.text();
        expect(response.status, `${method} /api/${route}: ${text.slice(0, 200)}`).toBe(503);
        expect(JSON.parse(text), `${method} /api/${route}`).toMatchObject({ error: { code: "database_unreachable" } });
        expect(response.headers.get("retry-after")).toBe("5");
      }
    });
  }

  it("/api/health says the database is unavailable", async () => {
    const { GET } = (await import(path.join(API_ROOT, "health", "route.ts"))) as { GET: () => Promise<Response> };
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ db: "unavailable" });
  });
});
