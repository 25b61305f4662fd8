import { describe, expect, it } from "vitest";
import { branchesOf, parentsOf, type SessionOutline, unfoldAbove, visibleRows } from "./visible-rows";

/**
 *   0 bash
 *   1 ├ sh
 *   2 │ ├ id
 *   3 │ └ uname
 *   4 └ nc
 *   5   └ bash -i
 *   6     └ curl
 */
const outline: SessionOutline = { depth: [0, 1, 2, 2, 1, 2, 3], descendants: [6, 2, 0, 0, 2, 1, 0] };

describe("the session's visible rows", () => {
  it("knows each row's parent from the depths", () => {
    expect([...parentsOf(outline)]).toEqual([-1, 0, 1, 1, 0, 4, 5]);
  });

  it("shows every row when nothing is folded or filtered", () => {
    expect(visibleRows(outline, new Set(), null)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("hides a folded row's subtree, and everything under a folded root", () => {
    expect(visibleRows(outline, new Set([1]), null)).toEqual([0, 1, 4, 5, 6]);
    expect(visibleRows(outline, new Set([1, 5]), null)).toEqual([0, 1, 4, 5]);
    expect(visibleRows(outline, new Set([0]), null)).toEqual([0]);
  });

  it("keeps only the branches of the targets (alerts or search matches)", () => {
    const parents = parentsOf(outline);
    const keep = branchesOf(parents, [6, 2]);
    expect([...keep].sort()).toEqual([0, 1, 2, 4, 5, 6]);
    expect(visibleRows(outline, new Set(), keep)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(visibleRows(outline, new Set(), branchesOf(parents, []))).toEqual([]);
  });

  it("unfolds the rows above one so that a jump can reach it", () => {
    const parents = parentsOf(outline);
    const folded = unfoldAbove(new Set([0, 4, 5, 1]), parents, 6);
    expect([...folded]).toEqual([1]);
    expect(visibleRows(outline, folded, null)).toContain(6);
  });
});
