import { describe, expect, it } from "vitest";
import { API_METHODS, apiRouteFiles } from "@/lib/app/api-route-files";
import { AlertListQuerySchema } from "@/lib/db/alert-list";
import { buildOpenApiDocument, operationId, queryParameters } from "./openapi";
import { API_OPERATIONS } from "./operations";
import { RulePreviewSchema, UploadListQuerySchema } from "./route-schemas";

/** alerts/[id] → /api/alerts/{id} */
function openApiPath(route: string): string {
  return `/api/${route}`.replace(/\[([^\]]+)\]/g, "{$1}");
}

async function implementedOperations(): Promise<string[]> {
  const found: string[] = [];
  for (const { file, route } of apiRouteFiles()) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const method of API_METHODS) {
      if (typeof module[method] === "function") found.push(`${method} ${openApiPath(route)}`);
    }
  }
  return found.sort();
}

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("lists exactly the route handlers under app/api", async () => {
    const implemented = await implementedOperations();
    expect(implemented.length).toBeGreaterThan(30);
    const documented = Object.entries(document.paths)
      .flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`))
      .sort();
    const missing = implemented.filter((operation) => !documented.includes(operation));
    const stale = documented.filter((operation) => !implemented.includes(operation));
    expect(missing, "route handlers missing from lib/api/operations.ts").toEqual([]);
    expect(stale, "operations in lib/api/operations.ts without a route handler").toEqual([]);
  }, 60_000);

  it("is OpenAPI 3.1 with unique operation ids and a security scheme for every guarded operation", () => {
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations) {
      for (const requirement of operation.security) {
        for (const scheme of Object.keys(requirement))
          expect(document.components.securitySchemes).toHaveProperty(scheme);
      }
    }
    expect(document.paths["/api/health"]?.get?.security).toEqual([]);
    expect(Object.keys(document.paths["/api/health"]?.get?.responses ?? {})).toEqual(["200", "503"]);
    expect(Object.keys(document.paths["/api/alerts"]?.get?.responses ?? {})).toEqual(["200", "400", "401", "403"]);
    expect(document.paths["/api/events"]?.post?.["x-keelwatch-permission"]).toBe("events:ingest");
  });

  it("refuses an operation listed twice", () => {
    const [first] = API_OPERATIONS;
    if (!first) throw new Error("no operations");
    expect(() => buildOpenApiDocument([first, first])).toThrow(/twice/);
  });

  it("derives request bodies from the zod schemas the routes validate with", () => {
    const body = document.paths["/api/rules/preview"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(body).toMatchObject({ type: "object", required: ["query"] });
    expect(body?.properties).toHaveProperty("limit", expect.objectContaining({ maximum: 500, default: 50 }));
    // The route's schema is the same object the document was built from.
    expect(RulePreviewSchema.safeParse({ query: "process where true", limit: 501 }).success).toBe(false);
  });

  it("turns query schemas (intersections included) into query parameters", () => {
    const upload = queryParameters(UploadListQuerySchema);
    expect(upload.map((parameter) => parameter.name)).toEqual(["limit", "cursor"]);
    expect(upload.every((parameter) => parameter.in === "query" && !parameter.required)).toBe(true);
    const alerts = queryParameters(AlertListQuerySchema).map((parameter) => parameter.name);
    expect(alerts).toEqual(expect.arrayContaining(["status", "severity", "q", "cursor", "limit"]));
    const eventsPost = document.paths["/api/events"]?.post;
    expect(eventsPost?.parameters.map((parameter) => parameter.name)).toEqual(["format", "filename"]);
    expect(eventsPost?.requestBody?.content).toHaveProperty("application/x-ndjson");
    expect(eventsPost?.requestBody?.required).toBe(true);
    expect(document.paths["/api/samples/load"]?.post?.requestBody?.required).toBe(false);
  });

  it("names path parameters and operation ids after the path", () => {
    const patch = document.paths["/api/alerts/{id}"]?.patch;
    expect(patch?.parameters[0]).toEqual({ name: "id", in: "path", required: true, schema: { type: "string" } });
    expect(operationId("PATCH", "/api/alerts/{id}")).toBe("patchAlertsById");
    expect(operationId("GET", "/api/openapi.json")).toBe("getOpenapiJson");
  });
});
