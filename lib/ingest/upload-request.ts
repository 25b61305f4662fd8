import { z } from "zod";
import type { UploadReport } from "../db/uploads";
import { DEFAULT_MAX_UPLOAD_BYTES } from "./ingest";

export const UploadQuerySchema = z.object({
  format: z.enum(["auto", "ecs", "falco", "tetragon", "datadog"]).default("auto"),
  filename: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^\u0000-\u001f/\\]+$/, "must be a plain file name")
    .default("upload"),
});
export type UploadQuery = z.infer<typeof UploadQuerySchema>;

/** The largest accepted upload, from KEELWATCH_MAX_UPLOAD_BYTES (default 2 GiB). */
export function maxUploadBytes(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.KEELWATCH_MAX_UPLOAD_BYTES);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_UPLOAD_BYTES;
}

/** The public report shape of POST /api/events (contract.md), with Keelwatch's additions. */
export function publicReport(report: UploadReport) {
  return {
    uploadId: report.uploadId,
    fileName: report.fileName,
    format: report.format,
    status: report.status,
    bytes: report.bytes,
    events: report.events,
    errors: report.errors,
    errorCount: report.errorCount,
    alerts: report.alerts,
  };
}

/** 200 when every line was good, 207 when some were rejected, 400 when nothing at all was readable. */
export function reportStatus(report: UploadReport): number {
  if (report.events.accepted === 0 && report.errorCount > 0) return 400;
  return report.errorCount > 0 ? 207 : 200;
}
