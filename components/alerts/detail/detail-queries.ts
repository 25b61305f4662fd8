"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { AlertDetail, PersonRef } from "@/lib/db/alert-detail";
import type { AlertPatch } from "@/lib/db/alert-updates";
import { applyPatch } from "./optimistic";

export const alertKeys = {
  detail: (id: string) => ["alert", id] as const,
};

/** An API error as the server described it ({"error": {code, message, details}}). */
export class AlertApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

async function readError(response: Response): Promise<AlertApiError> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: unknown };
  } | null;
  return new AlertApiError(
    response.status,
    body?.error?.code ?? "http_error",
    body?.error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
    body?.error?.details,
  );
}

export function useAlertDetail(id: string) {
  return useQuery({
    queryKey: alertKeys.detail(id),
    queryFn: async (): Promise<AlertDetail> => {
      const response = await fetch(`/api/alerts/${encodeURIComponent(id)}`, { cache: "no-store" });
      if (!response.ok) throw await readError(response);
      return (await response.json()) as AlertDetail;
    },
    // a missing alert stays missing; a second try only delays the message
    retry: (failures, error) => !(error instanceof AlertApiError && error.status < 500) && failures < 1,
  });
}

export type PatchProblem = { kind: "conflict" | "error"; message: string };

/**
 * Changes to one alert. Patches run one after another (mutation scope) so
 * each sends the version the previous one produced; each shows at once
 * (optimistic) and is rolled back if the server refuses it. On a 409 the
 * alert is reloaded and the analyst told that someone else changed it.
 */
export function useAlertPatch(id: string, me: PersonRef) {
  const client = useQueryClient();
  const key = alertKeys.detail(id);
  const [problem, setProblem] = useState<PatchProblem | null>(null);
  const mutation = useMutation({
    scope: { id: `alert-${id}` },
    mutationFn: async (patch: AlertPatch): Promise<AlertDetail> => {
      const current = client.getQueryData<AlertDetail>(key);
      if (!current) throw new AlertApiError(0, "not_loaded", "The alert is not loaded yet; try again.");
      const response = await fetch(`/api/alerts/${encodeURIComponent(id)}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "if-match": `"${current.version}"` },
        body: JSON.stringify(patch),
      });
      if (!response.ok) throw await readError(response);
      return (await response.json()) as AlertDetail;
    },
    onMutate: async (patch) => {
      setProblem(null);
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<AlertDetail>(key);
      if (previous) client.setQueryData<AlertDetail>(key, applyPatch(previous, patch, me));
      return { previous };
    },
    onError: (error, _patch, context) => {
      if (context?.previous) client.setQueryData(key, context.previous);
      if (error instanceof AlertApiError && error.status === 409) {
        setProblem({
          kind: "conflict",
          message:
            "Someone else changed this alert while you were working on it. It has been reloaded with their changes; your last change was not saved — check it and try again.",
        });
      } else {
        setProblem({ kind: "error", message: `Not saved: ${error.message}` });
      }
      void client.invalidateQueries({ queryKey: key });
    },
    onSuccess: (detail) => {
      client.setQueryData(key, detail);
    },
  });
  return { patch: mutation.mutate, pending: mutation.isPending, problem, dismissProblem: () => setProblem(null) };
}
