export function nextStartCommand(port: number | string): { command: string; args: string[] };
