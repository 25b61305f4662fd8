export function schemaDiff(input: { databaseFile: string; schemaPath: string; configDir: string }): Promise<string>;
export function postgresSchemaDiff(input: { url: string; schemaPath: string; configDir: string }): Promise<string>;
