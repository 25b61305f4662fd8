import { describe, expect, it } from "vitest";
import {
  compareVersions,
  ECS_FIELD_TYPES,
  fieldTypesFromMapping,
  hasExplicitNull,
  MappingError,
  readDate,
  withMapping,
} from "./field-types";
import { run } from "./runner";

describe("fieldTypesFromMapping", () => {
  it("reads a GET _mapping answer: nested objects, multi-fields, aliases, null_value and date formats", () => {
    const types = fieldTypesFromMapping({
      "logs-a": {
        mappings: {
          properties: {
            process: {
              properties: { pid: { type: "long" }, name: { type: "keyword", fields: { text: { type: "text" } } } },
            },
            seen: { type: "date", format: "epoch_second" },
            status: { type: "keyword", null_value: "none" },
            where: { type: "geo_point" },
            os: { type: "alias", path: "process.name" },
          },
        },
      },
    });
    expect(types.complete).toBe(true);
    expect(Object.fromEntries(types.fields)).toEqual({
      "process.pid": { kind: "long", type: "long" },
      "process.name": { kind: "keyword", type: "keyword" },
      "process.name.text": { kind: "text", type: "text" },
      seen: { kind: "date", type: "date", epochSeconds: true },
      status: { kind: "keyword", type: "keyword", nullValue: "none" },
      os: { kind: "keyword", type: "keyword" },
    });
    expect(fieldTypesFromMapping({ mappings: { properties: { a: { type: "ip" } } } }).fields.get("a")?.kind).toBe("ip");
  });

  it("says what is wrong and where", () => {
    expect(() => fieldTypesFromMapping([])).toThrow(MappingError);
    expect(() => fieldTypesFromMapping({ hits: 1 })).toThrow(/no "properties" found/);
    expect(() => fieldTypesFromMapping({ properties: { a: { type: 3 } } })).toThrow(
      'properties.a: "type" must be a string',
    );
    expect(() => fieldTypesFromMapping({ properties: { a: { type: "keyword", null_value: [1] } } })).toThrow(
      "properties.a.null_value: null_value must be a string, number or boolean",
    );
  });

  it("lays a user mapping over the ECS built-ins", () => {
    expect(ECS_FIELD_TYPES.fields.get("@timestamp")?.kind).toBe("date");
    expect(ECS_FIELD_TYPES.fields.get("source.ip")?.kind).toBe("ip");
    expect(ECS_FIELD_TYPES.complete).toBe(false);
    const merged = withMapping(
      ECS_FIELD_TYPES,
      fieldTypesFromMapping({ properties: { "source.ip": { type: "keyword" } } }),
    );
    expect(merged.fields.get("source.ip")?.kind).toBe("keyword");
    expect(merged.fields.get("process.pid")?.kind).toBe("long");
    expect(merged.complete).toBe(true);
  });
});

describe("values as a type reads them", () => {
  it("orders versions by precedence, pre-releases first and non-versions last", () => {
    const sorted = ["1.10.0", "banana", "1.2", "2.0.0", "1.9.9", "2.0.0-rc.1", "2.0.0-alpha", "2.0.0-rc.2"].sort(
      compareVersions,
    );
    expect(sorted).toEqual(["1.2", "1.9.9", "1.10.0", "2.0.0-alpha", "2.0.0-rc.1", "2.0.0-rc.2", "2.0.0", "banana"]);
  });

  it("reads dates from ISO strings, epoch millis and epoch seconds", () => {
    expect(readDate("2017-08-30T20:47:33Z")).toBe(Date.UTC(2017, 7, 30, 20, 47, 33));
    expect(readDate("1504126053000")).toBe(1504126053000);
    expect(readDate(1504126053, true)).toBe(1504126053000);
    expect(readDate("yesterday")).toBeUndefined();
  });

  it("tells an explicit null from a missing field, nested or dotted", () => {
    expect(hasExplicitNull({ a: { b: null } }, ["a", "b"])).toBe(true);
    expect(hasExplicitNull({ "a.b": null }, ["a", "b"])).toBe(true);
    expect(hasExplicitNull({ a: {} }, ["a", "b"])).toBe(false);
    expect(hasExplicitNull({ a: { b: [] } }, ["a", "b"])).toBe(false);
  });
});

describe("queries with field types", () => {
  const events = [
    {
      id: 1,
      "@timestamp": "2024-01-01T00:00:00Z",
      event: { category: "network" },
      source: { ip: "10.1.2.3", port: "443" },
    },
    {
      id: 2,
      "@timestamp": "2024-01-01T00:00:01Z",
      event: { category: "network" },
      source: { ip: "8.8.8.8", port: 53 },
    },
  ];
  const ids = (query: string, withTypes: boolean) =>
    run(query, events, withTypes ? { fieldTypes: ECS_FIELD_TYPES } : {}).map((result) =>
      result.kind === "event" ? result.event.id : null,
    );

  it("compare by type where the type is known, and as before otherwise", () => {
    expect(ids('network where source.ip == "10.0.0.0/8"', true)).toEqual([1]);
    expect(ids('network where source.ip == "10.0.0.0/8"', false)).toEqual([]);
    expect(ids('network where @timestamp > "2024-01-01T00:00:00.5Z"', true)).toEqual([2]);
    expect(ids("network where source.port > 50", true)).toEqual([1, 2]);
    expect(ids("network where source.port > 50", false)).toEqual([2]); // "443" < "50" as text
    expect(ids("network where ?nowhere == null", true)).toEqual([1, 2]);
  });

  it("refuses a constant the field's type cannot read, at compile time", () => {
    expect(() => run('network where @timestamp < "soon"', events, { fieldTypes: ECS_FIELD_TYPES })).toThrow(
      /"soon" is not a date .*field is of type date/,
    );
  });
});
