import type { SourceStream } from "../../db/sources";
import type { UploadReport } from "../../db/uploads";
import { ingestPushGroup } from "./push-group";
import type { ReadPush } from "./read-push";

/**
 * Group commit for sensor pushes. While one group of a source's pushes is
 * being stored, the pushes that arrive wait here, and all of them are stored
 * next as one group (one rules lookup, one detection run, one transaction).
 * A push is answered only once its group is committed. Alone, a push is a
 * group of one and waits for nothing; under load, each push's share of the
 * fixed costs shrinks as the groups grow.
 *
 * Queues are per source: each source's pushes join its own stream row, and
 * a noisy sensor's backlog never delays another's acknowledgements more than
 * the writer thread (shared by all) does.
 */

/** A group stops growing at this many events: one writer batch, so a group is one transaction. */
export const MAX_GROUP_EVENTS = 2_000;

interface Waiting {
  push: ReadPush;
  resolve: (report: UploadReport) => void;
  reject: (error: unknown) => void;
}

interface SourceQueue {
  stream: SourceStream;
  waiting: Waiting[];
}

const queues = new Map<string, SourceQueue>();

/** Stores one push with whatever else its source sent meanwhile; resolves to the push's own report. */
export function submitPush(stream: SourceStream, push: ReadPush): Promise<UploadReport> {
  return new Promise<UploadReport>((resolve, reject) => {
    const key = `${stream.uploadId}`;
    const existing = queues.get(key);
    if (existing) {
      existing.waiting.push({ push, resolve, reject });
      return;
    }
    const queue: SourceQueue = { stream, waiting: [{ push, resolve, reject }] };
    queues.set(key, queue);
    void drain(key, queue);
  });
}

async function drain(key: string, queue: SourceQueue): Promise<void> {
  try {
    while (queue.waiting.length > 0) {
      const group = takeGroup(queue.waiting);
      try {
        const reports = await ingestPushGroup(
          queue.stream,
          group.map((entry) => entry.push),
          Date.now(),
        );
        for (const [index, entry] of group.entries()) entry.resolve(reports[index]!);
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
  } finally {
    queues.delete(key);
  }
}

/** The oldest waiting pushes, up to MAX_GROUP_EVENTS lines together (always at least one push). */
function takeGroup(waiting: Waiting[]): Waiting[] {
  let lines = 0;
  let count = 0;
  while (count < waiting.length) {
    const size = waiting[count]!.push.items.length;
    if (count > 0 && lines + size > MAX_GROUP_EVENTS) break;
    lines += size;
    count++;
  }
  return waiting.splice(0, count);
}
