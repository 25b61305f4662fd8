"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";

const HealthSchema = z.object({ status: z.string(), db: z.string(), version: z.string() });
export type SystemHealth = z.infer<typeof HealthSchema>;

export const dashboardKeys = { health: ["health"] as const };

export function useSystemHealth() {
  return useQuery({
    queryKey: dashboardKeys.health,
    queryFn: async (): Promise<SystemHealth> => {
      const response = await fetch("/api/health", { cache: "no-store" });
      // 503 still carries a health body worth showing.
      return HealthSchema.parse(await response.json());
    },
    refetchInterval: 30_000,
  });
}
