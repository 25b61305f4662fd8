"use client";

import { useMutation } from "@tanstack/react-query";

interface ApiErrorBody {
  error?: { code?: string; message?: string };
}

async function postJson(url: string, body?: unknown): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const payload = (await response.json().catch(() => ({}))) as ApiErrorBody;
    throw new Error(payload.error?.message ?? `The server answered ${response.status}.`);
  }
}

export function useSignIn() {
  return useMutation({
    mutationFn: (credentials: { username: string; password: string }) => postJson("/api/auth/login", credentials),
  });
}

export function useSignOut() {
  return useMutation({ mutationFn: () => postJson("/api/auth/logout") });
}
