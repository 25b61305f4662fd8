import { describe, expect, it } from "vitest";
import { locateKeys } from "./toml-positions";

describe("locateKeys", () => {
  it("finds keys by table and skips the insides of multi-line strings", () => {
    const source = [
      "[rule]", // 1
      'note = """## Guide', // 2
      "[metadata]", // 3: inside the note, not a table
      'type = "threshold"', // 4: inside the note, not a key
      '"""', // 5
      'type = "eql"', // 6
      "false_positives = [", // 7
      "    '''", // 8
      "    name = 'inside'", // 9
      "    ''',", // 10
      "]", // 11
      "  name = 'Real'", // 12
      "[[rule.threat]]", // 13
      'framework = "MITRE ATT&CK"', // 14
      "[ keelwatch ]", // 15
      "origin = 'custom'", // 16
    ].join("\n");
    const keys = locateKeys(source);
    expect(keys.get("rule.type")).toMatchObject({ line: 6, column: 1 });
    expect(keys.get("rule.name")).toMatchObject({ line: 12, column: 3 });
    expect(keys.get("rule.threat.framework")?.line).toBe(14);
    expect(keys.get("keelwatch.origin")?.line).toBe(16);
    expect(keys.has("metadata.type")).toBe(false);
  });

  it("says where a query string's text starts", () => {
    const keys = locateKeys("[rule]\nquery = '''\nprocess where true\n'''\nother = 'process where true'\n");
    expect(keys.get("rule.query")).toMatchObject({ line: 2, valueLine: 3, valueColumn: 1 });
    expect(keys.get("rule.other")).toMatchObject({ line: 5, valueLine: 5, valueColumn: 10 });
  });
});
