/**
 * Ids per IN list: Prisma refuses a SQLite statement with more than 999 bound values unless it can split the
 * list itself (it cannot once the query is ordered), so the session's lookups split them, leaving room for the
 * statement's other parameters.
 */
export const IDS_PER_QUERY = 900;
