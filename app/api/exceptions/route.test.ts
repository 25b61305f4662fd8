import { beforeAll, describe, expect, it } from "vitest";
import { apiRequest, signedInUser, TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { seedAlert, seedEvent, seedRule, seedUpload } from "@/lib/db/alert-test-fixtures";
import { prisma } from "@/lib/db/client";
import { setUpTestDatabase } from "@/lib/db/test-database-hooks";
import { POST as createList } from "../exception-lists/route";
import { GET as listValueLists, POST as uploadValueList } from "../value-lists/route";
import { DELETE, GET as getOne, PATCH } from "./[id]/route";
import { GET as exportAll } from "./export/route";
import { POST as preview } from "./preview/route";
import { GET, POST } from "./route";

setUpTestDatabase();

let analyst = "";
let viewer = "";
let alertId = "";
const context = (id: string) => ({ params: Promise.resolve({ id }) });
const write = (path: string, method: string, body: unknown, cookie = analyst) =>
  apiRequest(path, { method, cookie, origin: TEST_ORIGIN, body });

const input = {
  name: "Backup job",
  scope: { ruleId: "rule-nc" },
  groups: [
    [{ field: "process.name", operator: "is", value: "nc" }],
    [{ field: "user.name", operator: "is_one_of", values: ["backup"] }],
  ],
};

beforeAll(async () => {
  analyst = (await signedInUser("ana", "analyst")).cookie;
  viewer = (await signedInUser("vic", "viewer")).cookie;
  await seedRule(prisma(), { id: "rule-nc" });
  const upload = await seedUpload(prisma());
  const event = await seedEvent(prisma(), upload.id, 1, {
    "@timestamp": new Date().toISOString(),
    event: { category: ["process"] },
    process: { name: "nc" },
  });
  alertId = (await seedAlert(prisma(), { ruleId: "rule-nc", eventIds: [event.id] })).id;
});

describe("/api/exceptions", () => {
  it("needs the write permission to create, and reports bad conditions by path", async () => {
    expect((await POST(write("/api/exceptions", "POST", input, viewer))).status).toBe(403);
    const bad = await POST(
      write("/api/exceptions", "POST", { ...input, groups: [[{ field: "process name", operator: "is", value: "x" }]] }),
    );
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details).toEqual([{ field: "groups.0.0.field", message: expect.stringContaining("dotted ECS") }]);
    const unknownRule = await POST(write("/api/exceptions", "POST", { ...input, scope: { ruleId: "nope" } }));
    expect(unknownRule.status).toBe(400);
    expect((await unknownRule.json()).error.details[0].field).toBe("scope.ruleId");
  });

  it("previews, creates with closeMatching, reads, patches and deletes", async () => {
    const previewed = await preview(write("/api/exceptions/preview", "POST", { ...input, days: 3 }, viewer));
    expect(previewed.status).toBe(200);
    const impact = await previewed.json();
    expect(impact).toMatchObject({
      days: 3,
      alertsToClose: { count: 1 },
      rules: [{ ruleId: "rule-nc", eventsSuppressed: 1 }],
    });

    const created = await POST(write("/api/exceptions", "POST", { ...input, closeMatching: true }));
    expect(created.status).toBe(201);
    const { item, closedAlerts } = await created.json();
    expect(closedAlerts).toBe(1);
    expect(await prisma().alert.findUnique({ where: { id: alertId } })).toMatchObject({
      status: "closed",
      closedByExceptionId: item.id,
    });

    const listed = await (await GET(apiRequest("/api/exceptions?rule=rule-nc", { cookie: viewer }))).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual([item.id]);
    const expiredOnly = await (await GET(apiRequest("/api/exceptions?expired=true", { cookie: viewer }))).json();
    expect(expiredOnly.items).toEqual([]);
    expect((await GET(apiRequest("/api/exceptions?expired=maybe", { cookie: viewer }))).status).toBe(400);

    const patched = await PATCH(
      write(`/api/exceptions/${item.id}`, "PATCH", { name: "Renamed", comment: "why" }),
      context(item.id),
    );
    expect(patched.status).toBe(200);
    expect((await patched.json()).item).toMatchObject({
      name: "Renamed",
      comments: [{ body: "why", author: { name: "ana" } }],
    });
    const badPatch = await PATCH(write(`/api/exceptions/${item.id}`, "PATCH", { expiresAt: "soon" }), context(item.id));
    expect((await badPatch.json()).error.details[0].field).toBe("expiresAt");

    expect((await getOne(apiRequest(`/api/exceptions/${item.id}`, { cookie: viewer }), context(item.id))).status).toBe(
      200,
    );
    const exported = await (await exportAll(apiRequest("/api/exceptions/export", { cookie: viewer }))).text();
    expect(JSON.parse(exported.trim())).toMatchObject({ type: "exception_item", name: "Renamed", ruleId: "rule-nc" });

    expect(
      (await DELETE(write(`/api/exceptions/${item.id}`, "DELETE", undefined, viewer), context(item.id))).status,
    ).toBe(403);
    expect((await DELETE(write(`/api/exceptions/${item.id}`, "DELETE", undefined), context(item.id))).status).toBe(204);
    expect((await DELETE(write(`/api/exceptions/${item.id}`, "DELETE", undefined), context(item.id))).status).toBe(404);
  });
});

describe("/api/exception-lists and /api/value-lists", () => {
  it("creates a list, refusing a duplicate name with 409", async () => {
    const first = await createList(write("/api/exception-lists", "POST", { name: "Shared", ruleIds: ["rule-nc"] }));
    expect(first.status).toBe(201);
    const again = await createList(write("/api/exception-lists", "POST", { name: "Shared" }));
    expect(again.status).toBe(409);
  });

  it("uploads a value list as text/plain and lists it", async () => {
    const headers = new Headers({ host: new URL(TEST_ORIGIN).host, cookie: analyst, origin: TEST_ORIGIN });
    headers.set("content-type", "text/plain");
    const response = await uploadValueList(
      new Request(`${TEST_ORIGIN}/api/value-lists?name=tools`, { method: "POST", headers, body: "nc\n\ncurl\n" }),
    );
    expect(response.status).toBe(201);
    expect((await response.json()).list).toMatchObject({ name: "tools", valueCount: 2 });
    const lists = await (await listValueLists(apiRequest("/api/value-lists", { cookie: viewer }))).json();
    expect(lists.lists).toMatchObject([{ name: "tools", valueCount: 2 }]);
  });
});
