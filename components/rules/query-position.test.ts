import { describe, expect, it } from "vitest";
import { caretRow, placeQueryError } from "./query-position";

describe("placeQueryError", () => {
  const query = 'process where\n\tprocess.name == "a" and and\n';

  it("picks the line and puts the caret under the column", () => {
    const place = placeQueryError(query, 2, 26);
    expect(place.lineText).toBe('\tprocess.name == "a" and and');
    expect(caretRow(place)).toEqual({ text: ' process.name == "a" and and', caret: `${" ".repeat(25)}^` });
  });

  it("clamps a position past the end of the line or the query", () => {
    expect(placeQueryError("abc", 1, 99).caretOffset).toBe(3);
    expect(placeQueryError("abc\ndef", 7, 1)).toMatchObject({ line: 2, lineText: "def", caretOffset: 0 });
    expect(placeQueryError("", 1, 1)).toMatchObject({ line: 1, lineText: "", caretOffset: 0 });
  });
});
