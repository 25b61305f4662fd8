export function nextStartCommand(
  port: number | string,
  env?: Readonly<Record<string, string | undefined>>,
): { command: string; args: string[] };
export const SERVER_HEAP_MB: number;
export const SERVER_MALLOC_ARENAS: number;
export function serverEnv(env?: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv;
