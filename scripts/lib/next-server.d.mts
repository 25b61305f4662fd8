export function nextStartCommand(
  port: number | string,
  env?: Readonly<Record<string, string | undefined>>,
): { command: string; args: string[] };
export const SERVER_HEAP_MB: number;
