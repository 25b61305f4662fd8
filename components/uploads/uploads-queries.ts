"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";

const UploadSummarySchema = z.object({
  id: z.string(),
  fileName: z.string(),
  format: z.string(),
  status: z.string(),
  bytesReceived: z.number(),
  eventsReceived: z.number(),
  eventsAccepted: z.number(),
  eventsRejected: z.number(),
  eventsDuplicate: z.number(),
  alertsCreated: z.number(),
  alertsSuppressed: z.number(),
  errorCount: z.number(),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type UploadSummary = z.infer<typeof UploadSummarySchema>;

const UploadListSchema = z.object({ items: z.array(UploadSummarySchema), nextCursor: z.string().nullable() });

const LineErrorSchema = z.object({ line: z.number(), message: z.string() });

const RuleCountSchema = z.object({ ruleId: z.string(), ruleName: z.string(), created: z.number() });

const UploadDetailSchema = UploadSummarySchema.extend({
  errors: z.array(LineErrorSchema),
  alertsDuplicate: z.number(),
  alertsSuppressedByException: z.number(),
  alertRules: z.array(RuleCountSchema),
});
export type UploadDetail = z.infer<typeof UploadDetailSchema>;

/** What POST /api/events answers (contract.md, plus Keelwatch's additions). */
const UploadReportSchema = z.object({
  uploadId: z.string(),
  fileName: z.string(),
  format: z.string(),
  status: z.string(),
  bytes: z.number(),
  events: z.object({ received: z.number(), accepted: z.number(), rejected: z.number(), duplicate: z.number() }),
  errors: z.array(LineErrorSchema),
  errorCount: z.number(),
  alerts: z.object({
    created: z.number(),
    suppressed: z.number(),
    suppressedByException: z.number(),
    duplicate: z.number(),
    byRule: z.record(z.string(), z.number()),
    rules: z.array(RuleCountSchema),
  }),
});
export type UploadReport = z.infer<typeof UploadReportSchema>;

const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const uploadKeys = {
  all: ["uploads"] as const,
  list: () => [...uploadKeys.all, "list"] as const,
  detail: (id: string) => [...uploadKeys.all, "detail", id] as const,
};

async function readJson<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(body);
    throw new Error(parsed.success ? parsed.data.error.message : `The server answered ${response.status}.`);
  }
  return schema.parse(body);
}

/** Past uploads, newest first; polls while one is being received (here or elsewhere). */
export function useUploads(sending: boolean) {
  return useQuery({
    queryKey: uploadKeys.list(),
    queryFn: async () => readJson(await fetch("/api/uploads?limit=50", { cache: "no-store" }), UploadListSchema),
    refetchInterval: (query) =>
      sending || query.state.data?.items.some((upload) => upload.status === "receiving") ? 1_000 : false,
  });
}

export function useUpload(id: string) {
  return useQuery({
    queryKey: uploadKeys.detail(id),
    queryFn: async () =>
      readJson(await fetch(`/api/uploads/${encodeURIComponent(id)}`, { cache: "no-store" }), UploadDetailSchema),
    refetchInterval: (query) => (query.state.data?.status === "receiving" ? 1_000 : false),
  });
}

export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * Sends a file to POST /api/events. XMLHttpRequest rather than fetch: only it
 * reports upload progress, which a multi-gigabyte file needs.
 */
export function sendEventsFile(
  file: File,
  format: string,
  onProgress: (progress: UploadProgress) => void,
): Promise<UploadReport> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const params = new URLSearchParams({ format, filename: file.name });
    request.open("POST", `/api/events?${params}`);
    request.responseType = "text";
    request.upload.onprogress = (event) => onProgress({ sent: event.loaded, total: event.total || file.size });
    request.onerror = () => reject(new Error("The upload was interrupted: check the connection and try again."));
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        reject(new Error(`The server answered ${request.status} without a readable report.`));
        return;
      }
      const report = UploadReportSchema.safeParse(body);
      if (report.success) {
        resolve(report.data);
        return;
      }
      const error = ErrorBodySchema.safeParse(body);
      reject(new Error(error.success ? error.data.error.message : `The server answered ${request.status}.`));
    };
    request.send(file);
  });
}

export function useSendEventsFile(onProgress: (progress: UploadProgress) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, format }: { file: File; format: string }) => sendEventsFile(file, format, onProgress),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: uploadKeys.all });
      void queryClient.invalidateQueries({ queryKey: ["alerts"] });
    },
  });
}
