import { z } from "zod";
import { csvRecord } from "./csv";
import { ndjsonRecord } from "./ndjson";

/**
 * Streams records out of an async source of pages as CSV or NDJSON. The
 * stream pulls a page only when the reader has taken the previous one, so an
 * export of a million rows holds one page in memory, and a client that goes
 * away stops the reading of the database. Generic over the record type: the
 * alert list, hunts and timelines each give their own columns.
 */

export const EXPORT_FORMATS = ["csv", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const ExportFormatSchema = z.enum(EXPORT_FORMATS).default("csv").describe("csv (RFC 4180) or ndjson");

/** A CSV column: its header and how to read its value from a record. */
export interface ExportColumn<T> {
  header: string;
  value: (record: T) => unknown;
}

export interface ExportShape<T> {
  /** CSV: the header row, then one value per column. */
  columns: readonly ExportColumn<T>[];
  /** NDJSON: the document written for a record (the record itself when absent). */
  document?: (record: T) => unknown;
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  ndjson: "application/x-ndjson; charset=utf-8",
};

/** The text of one page of records in the chosen format. */
function encodePage<T>(records: readonly T[], format: ExportFormat, shape: ExportShape<T>): string {
  let text = "";
  for (const record of records) {
    text +=
      format === "csv"
        ? csvRecord(shape.columns.map((column) => column.value(record)))
        : ndjsonRecord(shape.document ? shape.document(record) : record);
  }
  return text;
}

/**
 * A byte stream of the records `pages` yields. CSV starts with the header row
 * (even when there are no records). An error while reading ends the stream in
 * error: the download fails visibly instead of ending early as if complete.
 */
export function exportStream<T>(
  pages: AsyncIterable<readonly T[]>,
  format: ExportFormat,
  shape: ExportShape<T>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvRecord(shape.columns.map((column) => column.header))));
          return;
        }
        // Skip empty pages: an empty enqueue would not wake the reader.
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          if (next.value.length > 0) {
            controller.enqueue(encoder.encode(encodePage(next.value, format, shape)));
            return;
          }
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // One page at a time: the next is read only when the reader has taken this one.
    { highWaterMark: 0 },
  );
}

/** "keelwatch-alerts-20261123T091500Z.csv": what the export holds and when it was taken, safe as a file name. */
export function exportFileName(what: string, format: ExportFormat, at = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(/[-:]/g, "");
  const safe = what.replaceAll(/[^A-Za-z0-9_-]+/g, "-");
  return `keelwatch-${safe}-${stamp}.${format}`;
}

/** The HTTP response for an export: an attachment the browser saves, never caches and never sniffs. */
export function exportResponse(stream: ReadableStream<Uint8Array>, format: ExportFormat, fileName: string): Response {
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": EXPORT_CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
