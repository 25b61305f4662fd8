/**
 * What one hunt may spend, so that an analyst's hunt never starves ingest or
 * another analyst: wall time, events read, and state held by sequences and
 * samples. Each is an environment variable; the defaults suit 1M stored events.
 */
export interface HuntLimits {
  /** Stop after this many milliseconds of scanning (KEELWATCH_HUNT_TIME_LIMIT_MS). */
  timeMs: number;
  /** Stop after reading this many stored events (KEELWATCH_HUNT_MAX_EVENTS). */
  maxEvents: number;
  /** Stop when sequences or samples hold this many partial matches or keys (KEELWATCH_HUNT_MAX_HELD). */
  maxHeld: number;
}

export const DEFAULT_HUNT_LIMITS: HuntLimits = { timeMs: 30_000, maxEvents: 2_000_000, maxHeld: 200_000 };

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number of at least 1, not "${raw}"`);
  }
  return value;
}

/** The limits in force, read from the environment at each hunt (so a test or operator can change them). */
export function huntLimits(): HuntLimits {
  return {
    timeMs: positiveInteger("KEELWATCH_HUNT_TIME_LIMIT_MS", DEFAULT_HUNT_LIMITS.timeMs),
    maxEvents: positiveInteger("KEELWATCH_HUNT_MAX_EVENTS", DEFAULT_HUNT_LIMITS.maxEvents),
    maxHeld: positiveInteger("KEELWATCH_HUNT_MAX_HELD", DEFAULT_HUNT_LIMITS.maxHeld),
  };
}
