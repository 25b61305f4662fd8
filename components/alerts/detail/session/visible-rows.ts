/** The session tree's shape, one entry per row in display order (depth first), as the session API sends it. */
export interface SessionOutline {
  depth: number[];
  descendants: number[];
}

/** Each row's parent row (-1 for the root), from the depths of a depth-first listing. */
export function parentsOf(outline: SessionOutline): Int32Array {
  const parents = new Int32Array(outline.depth.length);
  const path: number[] = [];
  outline.depth.forEach((depth, row) => {
    path.length = depth;
    parents[row] = depth > 0 ? (path[depth - 1] ?? -1) : -1;
    path[depth] = row;
  });
  return parents;
}

/** The rows of these targets' branches: each target and every row above it. */
export function branchesOf(parents: Int32Array, targets: Iterable<number>): Set<number> {
  const kept = new Set<number>();
  for (const target of targets) {
    for (let row = target; row >= 0 && !kept.has(row); row = parents[row] ?? -1) kept.add(row);
  }
  return kept;
}

/**
 * The rows to draw, in display order: a folded row hides everything below it,
 * and with `keep` only the kept rows show (a row not kept hides its subtree,
 * which holds no kept row since a kept row's ancestors are kept too).
 */
export function visibleRows(
  outline: SessionOutline,
  folded: ReadonlySet<number>,
  keep: ReadonlySet<number> | null,
): number[] {
  const rows: number[] = [];
  const total = outline.depth.length;
  let row = 0;
  while (row < total) {
    const below = outline.descendants[row] ?? 0;
    if (keep && !keep.has(row)) {
      row += below + 1;
      continue;
    }
    rows.push(row);
    row += folded.has(row) ? below + 1 : 1;
  }
  return rows;
}

/** Unfolds every row above `row`, so that it shows. */
export function unfoldAbove(folded: ReadonlySet<number>, parents: Int32Array, row: number): Set<number> {
  const next = new Set(folded);
  for (let above = parents[row] ?? -1; above >= 0; above = parents[above] ?? -1) next.delete(above);
  return next;
}
