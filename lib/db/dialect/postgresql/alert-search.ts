import { Prisma } from "../../../generated/prisma/client";
import { escapeLike, SEARCHED_COLUMNS, type SearchPlan, searchTerms } from "../../alert-search";

/**
 * The alert list's free text on PostgreSQL. The rule is SQLite's (lib/db/alert-search.ts): every term is a
 * substring, ignoring case, of at least one searched field. Each term becomes one ILIKE per field, ORed, which the
 * trigram GIN index over those fields (Alert_search_trgm_idx, pg_trgm) answers with a bitmap scan per field; the
 * planner weighs that against the other indexes from its statistics, so there is no plan to make here beyond the
 * conditions (SQLite counts matches first because its planner cannot see inside the FTS5 table).
 *
 * Case: ILIKE folds case by the database's collation, which covers non-ASCII letters too, where SQLite's LIKE folds
 * only ASCII; a search for "ÉTÉ" finds "été" here and not there.
 */
export function postgresSearchConditions(terms: readonly string[]): Prisma.Sql[] {
  return terms.map((term) => {
    const pattern = `%${escapeLike(term)}%`;
    const fields = SEARCHED_COLUMNS.map((column) => Prisma.sql`a.${Prisma.raw(`"${column}"`)} ILIKE ${pattern}`);
    return Prisma.sql`(${Prisma.join(fields, " OR ")})`;
  });
}

export async function planPostgresSearch(q: string | undefined): Promise<SearchPlan> {
  const terms = searchTerms(q);
  return terms.length === 0 ? { kind: "none" } : { kind: "scan", conditions: postgresSearchConditions(terms) };
}
