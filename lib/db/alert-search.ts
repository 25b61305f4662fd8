import { Prisma } from "../generated/prisma/client";
import { MAX_SEARCH_TERMS } from "./alert-list-query";
import { prisma } from "./client";

/**
 * The alert list's free text (`q`). Its meaning is one rule: every term is a
 * substring, ignoring ASCII case, of at least one searched field. LIKE states
 * that rule exactly and is always applied; the "AlertSearch" trigram index
 * (migration alert_search) only finds the candidate rows fast.
 */

/** Columns the free text searches: what an analyst types to find "that shell in web-1". Same list as the index. */
export const SEARCHED_COLUMNS = [
  "ruleName",
  "containerName",
  "imageName",
  "hostName",
  "processName",
  "commandLine",
  "userName",
] as const;

// One LIKE over the fields joined by newlines (which a term never holds, being split on
// whitespace): a full scan at 1M alerts costs about half of seven separate LIKEs.
const SEARCHED_TEXT = Prisma.raw(
  `(${SEARCHED_COLUMNS.map((column) => `COALESCE(a."${column}", '')`).join(" || char(10) || ")})`,
);

/** The trigram index holds 3-character tokens: a shorter term has none to look up. */
const TRIGRAM_LENGTH = 3;

/**
 * Where each plan pays off, by the number m of alerts the rarest term matches
 * (measured at 1M alerts: fetching an alert by rowid ~5-7 µs, testing an index
 * entry against a match set ~0.2 µs, fetching and testing a row with LIKE ~3.5 µs):
 * - m ≤ `drive`: fetch the m matches and sort them (cost ∝ m);
 * - m ≤ `member`: read the match set once and walk the sort's index testing each
 *   entry against it, fetching only matches (cost ∝ m + page×n/m entries);
 * - above: walk the sort's index testing rows with LIKE (cost ∝ page×n/m rows),
 *   cheap because matches are dense.
 * A severity or risk sort drives up to more matches and uses the set up to far
 * more: the alerts of a term often all rank low (a rule sets both), so walking the
 * rank index passes over every higher-ranked alert first. Counting never uses
 * `member`: it reads every match anyway.
 */
export interface SearchLimits {
  drive: number;
  member: number;
  /**
   * Whether `member` is tried when several terms all match many alerts. Counting
   * each of them again costs 3-10 ms a term, more than a time-sorted page spends
   * testing rows with LIKE; a rank-sorted page can spend far more.
   */
  memberForSeveralTerms: boolean;
}

export const SEARCH_LIMITS = {
  byTime: { drive: 1500, member: 12_000, memberForSeveralTerms: false },
  byRank: { drive: 4000, member: 150_000, memberForSeveralTerms: true },
  counting: { drive: 4000, member: 0, memberForSeveralTerms: false },
} as const satisfies Record<string, SearchLimits>;

/** LIKE treats % and _ as wildcards; a search for "50%" means the text "50%". */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The distinct whitespace-separated words of `q`, at most MAX_SEARCH_TERMS. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(q.split(/\s+/).filter((term) => term !== ""))].slice(0, MAX_SEARCH_TERMS);
}

/** The exact rule, one condition per term, on the alert aliased `a`. */
export function searchConditions(terms: readonly string[]): Prisma.Sql[] {
  return terms.map((term) => Prisma.sql`${SEARCHED_TEXT} LIKE ${`%${escapeLike(term)}%`} ESCAPE '\\'`);
}

/**
 * An FTS5 query for the terms the index can answer: each one a quoted phrase (its
 * trigrams in a row, i.e. the substring; quotes inside doubled, every other
 * character literal), all of them required. Null when no term can use the index
 * (shorter than a trigram). Length counts code points, as the tokenizer does.
 */
export function searchMatch(terms: readonly string[]): string | null {
  // A NUL would end the query text inside SQLite's C code, leaving a shorter phrase
  // that may match nothing; such a term is left to LIKE alone.
  const indexed = terms.filter((term) => Array.from(term).length >= TRIGRAM_LENGTH && !term.includes("\u0000"));
  if (indexed.length === 0) return null;
  return indexed.map((term) => `"${term.replaceAll('"', '""')}"`).join(" AND ");
}

/** The rowids of alerts the index matches: a superset of the LIKE matches. */
export function matchedRowids(match: string): Prisma.Sql {
  return Prisma.sql`SELECT "rowid" AS "alertRowid" FROM "AlertSearch" WHERE "AlertSearch" MATCH ${match}`;
}

/** How many alerts the index matches, counting no further than `cap` (cheap even for a common term). */
export async function countMatchesUpTo(match: string, cap: number): Promise<number> {
  const rows = await prisma().$queryRaw<{ count: bigint | number }[]>`
    SELECT COUNT(*) AS "count" FROM (${matchedRowids(match)} LIMIT ${cap})`;
  return Number(rows[0]?.count ?? 0);
}

/**
 * How a query should find the alerts matching `q`:
 * - `none`: no free text;
 * - `scan`: no term the index can answer (all under 3 characters), LIKE alone;
 * - `drive`: few matches, so read them from the index and look each alert up by rowid;
 * - `member`: more matches: the sort's index entries are tested against the match set;
 * - `filter`: dense matches: other indexes (or the sort's) lead and rows are tested with LIKE.
 * (SEARCH_LIMITS says where each pays off.)
 * `match` is the FTS5 query of the rarest indexed term.
 */
export type SearchPlan =
  | { kind: "none" }
  | { kind: "scan"; conditions: Prisma.Sql[] }
  | { kind: "drive" | "member" | "filter"; conditions: Prisma.Sql[]; match: string };

/** Indexed terms with their match counts up to `cap`, rarest first. */
async function countTerms(terms: readonly string[], cap: number): Promise<{ match: string; matches: number }[]> {
  const counted: { match: string; matches: number }[] = [];
  for (const term of terms) {
    const match = searchMatch([term]);
    if (match === null) continue;
    const matches = await countMatchesUpTo(match, cap);
    counted.push({ match, matches });
    if (matches === 0) break;
  }
  return counted.sort((a, b) => a.matches - b.matches);
}

export async function planSearch(
  q: string | undefined,
  limits: SearchLimits = SEARCH_LIMITS.counting,
): Promise<SearchPlan> {
  const terms = searchTerms(q);
  if (terms.length === 0) return { kind: "none" };
  const conditions = searchConditions(terms);
  // Each term is counted alone (cheap up to the cap) and the rarest one leads: an
  // index query ANDing two common phrases costs as much as reading both, which is
  // what this avoids; LIKE checks the other terms on the rows it finds.
  const counted = await countTerms(terms, limits.drive + 1);
  const rarest = counted[0];
  if (rarest === undefined) return { kind: "scan", conditions };
  if (rarest.matches <= limits.drive) return { kind: "drive", conditions, match: rarest.match };
  if (limits.member > limits.drive && (counted.length === 1 || limits.memberForSeveralTerms)) {
    const [wide] = await countTerms(terms, limits.member + 1);
    if (wide !== undefined && wide.matches <= limits.member) return { kind: "member", conditions, match: wide.match };
  }
  return { kind: "filter", conditions, match: rarest.match };
}

/**
 * The FROM clause for a plan: when the index drives, its matches come first and
 * each alert is fetched by rowid (CROSS JOIN fixes that order in SQLite, so no
 * other index can take the lead and read the whole table).
 */
export function alertSource(plan: SearchPlan): Prisma.Sql {
  return plan.kind === "drive"
    ? Prisma.sql`(${matchedRowids(plan.match)}) s CROSS JOIN "Alert" a ON a."rowid" = s."alertRowid"`
    : Prisma.sql`"Alert" a`;
}
