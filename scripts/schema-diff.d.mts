export function schemaDiff(input: { databaseFile: string; schemaPath: string; configDir: string }): Promise<string>;
