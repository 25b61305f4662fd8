import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readQueryParams } from "./query-params";

const Schema = z.object({ tag: z.array(z.string()).or(z.string()), limit: z.coerce.number().int().max(10) });

describe("readQueryParams", () => {
  it("reads repeated keys as arrays and coerces with the schema", () => {
    const query = readQueryParams(new Request("http://keelwatch.test/x?tag=a&tag=b&limit=3"), Schema);
    expect(query).toEqual({ ok: true, data: { tag: ["a", "b"], limit: 3 } });
  });

  it("answers 400 invalid_request naming each bad parameter", async () => {
    const query = readQueryParams(new Request("http://keelwatch.test/x?limit=99"), Schema);
    if (query.ok) throw new Error("expected a refusal");
    expect(query.response.status).toBe(400);
    const { error } = await query.response.json();
    expect(error.code).toBe("invalid_request");
    expect(error.message).toMatch(/^Invalid query parameter tag: .+; limit: /);
    expect(error.details.map((d: { field: string }) => d.field)).toEqual(["tag", "limit"]);
  });
});
