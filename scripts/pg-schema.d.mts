export const SQLITE_SCHEMA: string;
export const POSTGRES_SCHEMA: string;
export const SEARCHED_COLUMNS: string[];
export const SEARCH_INDEX: string;
export function postgresSchema(sqlite: string): string;
