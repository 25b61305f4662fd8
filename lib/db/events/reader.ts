import { prisma } from "../client";
import { chunk } from "../sql";
import { BlockCorruptError, type UnpackedBlock, unpackBlock } from "./block-codec.mjs";

/** Where an event's document is: its block and position, or (stored before blocks) the document itself. */
export interface EventLocation {
  id: number;
  blockId: number | null;
  position: number | null;
  document: string;
}

/** The columns an Event query selects so that EventReader can find the document. */
export const EVENT_LOCATION_SELECT = { id: true, blockId: true, position: true, document: true } as const;

/** An event whose document cannot be read: its block is damaged, or retention removed it from the block. */
export class UnreadableEventError extends Error {
  readonly code = "event_unreadable";
  constructor(
    readonly eventId: number,
    readonly reason: string,
  ) {
    super(`event ${eventId} cannot be read: ${reason}`);
    this.name = "UnreadableEventError";
  }
}

/**
 * Reads event documents through their blocks, unpacking each block once: one
 * reader serves one request (or one scan), so a block the request needs again
 * is not decompressed again, and nothing outlives the request. At most
 * `maxBlocks` unpacked blocks are held (about 4 MB each for 2,000 events), the
 * least recently used going first: a time-ordered scan moves through blocks
 * roughly in the order they were stored, so a few suffice.
 */
export class EventReader {
  private readonly blocks = new Map<number, UnpackedBlock | BlockCorruptError>();
  /** Blocks unpacked so far (a figure for tests and benchmarks). */
  unpacked = 0;

  constructor(private readonly maxBlocks = 8) {}

  /** Each location's document text, or the reason it cannot be read. */
  async documents(locations: readonly EventLocation[]): Promise<Map<number, string | UnreadableEventError>> {
    const found = new Map<number, string | UnreadableEventError>();
    // In groups of at most maxBlocks blocks, so that no block is dropped before its documents are read.
    let group: EventLocation[] = [];
    let groupBlocks = new Set<number>();
    const readGroup = async () => {
      await this.load(group);
      for (const location of group) found.set(location.id, this.textOf(location));
      group = [];
      groupBlocks = new Set();
    };
    for (const location of locations) {
      const { blockId } = location;
      if (blockId !== null && !groupBlocks.has(blockId) && groupBlocks.size >= this.maxBlocks) await readGroup();
      if (blockId !== null) groupBlocks.add(blockId);
      group.push(location);
    }
    await readGroup();
    return found;
  }

  /** One location's document text; throws UnreadableEventError when it cannot be read. */
  async document(location: EventLocation): Promise<string> {
    await this.load([location]);
    const text = this.textOf(location);
    if (text instanceof UnreadableEventError) throw text;
    return text;
  }

  /** Fetches, in one query, the blocks of these locations that are not unpacked yet. */
  private async load(locations: readonly EventLocation[]): Promise<void> {
    const missing = new Set<number>();
    for (const location of locations) {
      if (location.blockId !== null && !this.touch(location.blockId)) missing.add(location.blockId);
    }
    if (missing.size === 0) return;
    const rows = [];
    // Few blocks a request, but a page of a scan could name many: stay under the driver's parameter limit.
    for (const part of chunk([...missing], 500)) {
      rows.push(
        ...(await prisma().eventBlock.findMany({
          where: { id: { in: part } },
          select: { id: true, codec: true, data: true, checksum: true, rawBytes: true },
        })),
      );
    }
    for (const row of rows) {
      let block: UnpackedBlock | BlockCorruptError;
      try {
        block = unpackBlock(row);
        this.unpacked++;
      } catch (error) {
        if (!(error instanceof BlockCorruptError)) throw error;
        block = error;
      }
      this.remember(row.id, block);
    }
  }

  private textOf(location: EventLocation): string | UnreadableEventError {
    if (location.blockId === null || location.position === null) return location.document;
    const block = this.blocks.get(location.blockId);
    if (block === undefined) return new UnreadableEventError(location.id, `its block ${location.blockId} is missing`);
    if (block instanceof BlockCorruptError) return new UnreadableEventError(location.id, block.message);
    let text: string | null;
    try {
      text = block.document(location.position);
    } catch (error) {
      // A segment is unpacked when first read: its damage shows here, and spoils only the events it holds.
      if (error instanceof BlockCorruptError) return new UnreadableEventError(location.id, error.message);
      throw error;
    }
    return (
      text ??
      new UnreadableEventError(location.id, `position ${location.position} of block ${location.blockId} is empty`)
    );
  }

  private touch(blockId: number): boolean {
    const block = this.blocks.get(blockId);
    if (block === undefined) return false;
    this.blocks.delete(blockId);
    this.blocks.set(blockId, block);
    return true;
  }

  private remember(blockId: number, block: UnpackedBlock | BlockCorruptError): void {
    this.blocks.set(blockId, block);
    while (this.blocks.size > this.maxBlocks) {
      const oldest = this.blocks.keys().next().value;
      if (oldest === undefined) break;
      this.blocks.delete(oldest);
    }
  }
}

/** A document's JSON parsed as an object ({} for anything else). */
export function parseEventDocument(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
