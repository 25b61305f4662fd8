import { describe, expect, it } from "vitest";
import { csvField, csvRecord, exportFileName, exportStream, ndjsonRecord } from ".";

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rlf", '"cr\rlf"'],
    ["", ""],
    ["ünïcødé ✓", "ünïcødé ✓"],
  ])("%j -> %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    ['=HYPERLINK("http://x.test")', '"\'=HYPERLINK(""http://x.test"")"'],
    ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1", "'\t=1"],
    ["\r=1", '"\'\r=1"'],
  ])("defuses the formula %j as %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("writes numbers, booleans and dates as data, empty for null, JSON for objects", () => {
    expect(csvField(-5)).toBe("-5");
    expect(csvField(73)).toBe("73");
    expect(csvField(true)).toBe("true");
    expect(csvField(new Date("2026-11-23T09:00:00Z"))).toBe("2026-11-23T09:00:00.000Z");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField({ a: "x,y" })).toBe('"{""a"":""x,y""}"');
  });

  it("ends a record with CRLF", () => {
    expect(csvRecord(["a", 1, null, "b c"])).toBe("a,1,,b c\r\n");
  });
});

describe("ndjsonRecord", () => {
  it("keeps a record on one line whatever its strings hold", () => {
    const line = ndjsonRecord({ commandLine: "sh -c 'a\nb'\r\n", at: new Date("2026-11-23T09:00:00Z") });
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(JSON.parse(line)).toEqual({ commandLine: "sh -c 'a\nb'\r\n", at: "2026-11-23T09:00:00.000Z" });
  });
});

type Row = { id: number; name: string };
const shape = {
  columns: [
    { header: "id", value: (row: Row) => row.id },
    { header: "name", value: (row: Row) => row.name },
  ],
};

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("exportStream", () => {
  it("writes the CSV header, then every page's records, skipping empty pages", async () => {
    async function* pages() {
      yield [{ id: 1, name: "a" }];
      yield [];
      yield [
        { id: 2, name: "b,c" },
        { id: 3, name: "=1" },
      ];
    }
    expect(await readAll(exportStream(pages(), "csv", shape))).toBe('id,name\r\n1,a\r\n2,"b,c"\r\n3,\'=1\r\n');
  });

  it("writes a header alone for no records, and nothing as NDJSON", async () => {
    async function* none(): AsyncGenerator<Row[]> {}
    expect(await readAll(exportStream(none(), "csv", shape))).toBe("id,name\r\n");
    expect(await readAll(exportStream(none(), "ndjson", shape))).toBe("");
  });

  it("writes NDJSON documents, the record itself unless a document is given", async () => {
    async function* pages() {
      yield [{ id: 1, name: "a" }];
    }
    expect(await readAll(exportStream(pages(), "ndjson", shape))).toBe('{"id":1,"name":"a"}\n');
    const named = { ...shape, document: (row: Row) => ({ name: row.name }) };
    expect(await readAll(exportStream(pages(), "ndjson", named))).toBe('{"name":"a"}\n');
  });

  it("reads a page only when the reader asks for more, and stops reading when the reader cancels", async () => {
    const read: number[] = [];
    let finished = false;
    async function* pages() {
      try {
        for (let page = 0; page < 1000; page++) {
          read.push(page);
          yield [{ id: page, name: "x" }];
        }
      } finally {
        finished = true;
      }
    }
    const reader = exportStream(pages(), "csv", shape).getReader();
    await reader.read(); // the header
    await reader.read(); // page 0
    await reader.read(); // page 1
    // Let any eager pull run before counting.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(read).toEqual([0, 1]);
    await reader.cancel();
    expect(finished).toBe(true);
  });

  it("ends in error when the source fails, so a download cannot look complete", async () => {
    async function* failing() {
      yield [{ id: 1, name: "a" }];
      throw new Error("database is locked");
    }
    await expect(readAll(exportStream(failing(), "ndjson", shape))).rejects.toThrow("database is locked");
  });
});

describe("exportFileName", () => {
  it("names what and when, with only safe characters", () => {
    expect(exportFileName("alerts", "csv", new Date("2026-11-23T09:15:00.123Z"))).toBe(
      "keelwatch-alerts-20261123T091500Z.csv",
    );
    expect(exportFileName('a "b"/c', "ndjson", new Date("2026-11-23T09:15:00Z"))).toBe(
      "keelwatch-a-b-c-20261123T091500Z.ndjson",
    );
  });
});
