import type { EventFormat } from "../../events/formats/types";
import { type NormalizedItem, normalizeEvents, type StreamFormat } from "../../events/normalize";
import { readEvents } from "../../events/read-events";
import { countBytes } from "../byte-limit";

/** One sensor push, read whole and normalised to ECS, waiting for its group to be stored. */
export interface ReadPush {
  /** bytes as sent (before gunzip) */
  bytes: number;
  /** the format its events were read as ("mixed" when lines differ) */
  format: StreamFormat | "auto";
  items: NormalizedItem[];
}

/** The largest push, from KEELWATCH_MAX_PUSH_BYTES (default 8 MiB): larger files are uploads. */
export const DEFAULT_MAX_PUSH_BYTES = 8 * 1024 ** 2;

export function maxPushBytes(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.KEELWATCH_MAX_PUSH_BYTES);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_PUSH_BYTES;
}

/**
 * Reads a push's body before it joins a group: a push is small (a sensor's
 * event or batch), and reading it first means a slow client never holds up
 * the other pushes of its group. The limit holds for the bytes sent and for
 * what they decompress to.
 */
export async function readPush(
  body: AsyncIterable<Uint8Array>,
  format: EventFormat | "auto",
  maxBytes: number,
): Promise<ReadPush> {
  const counter = { bytes: 0 };
  let detected: StreamFormat | "auto" = format;
  const items: NormalizedItem[] = [];
  const raw = readEvents(countBytes(body, maxBytes, counter), { maxBodyBytes: maxBytes });
  for await (const item of normalizeEvents(raw, format, (chosen) => {
    detected = chosen;
  })) {
    items.push(item);
  }
  return { bytes: counter.bytes, format: detected, items };
}
