/**
 * Which database a DATABASE_URL names: `file:` is SQLite (the embedded default), `postgresql://` or `postgres://`
 * is PostgreSQL. Anything else is refused with the URL's scheme named, never guessed. (No imports: config, the
 * client factory and the scripts all ask this first.)
 */
export type DialectName = "sqlite" | "postgresql";

export function dialectName(url: string): DialectName {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `DATABASE_URL must be a SQLite "file:" URL or a PostgreSQL "postgresql://" URL, got ${
      scheme ? `a "${scheme}:" URL` : `"${url}"`
    }`,
  );
}
