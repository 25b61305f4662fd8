"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { BUCKET_SIZES } from "@/lib/db/dashboard-buckets";

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

const CountSchema = z.number().int().nonnegative();
const DashboardSchema = z.object({
  range: z.enum(["24h", "7d", "30d", "all"]),
  from: z.string().nullable(),
  bucket: z.enum(BUCKET_SIZES),
  total: CountSchema,
  overTime: z.array(
    z.object({ start: z.string(), low: CountSchema, medium: CountSchema, high: CountSchema, critical: CountSchema }),
  ),
  topRules: z.array(z.object({ ruleId: z.string(), ruleName: z.string(), count: CountSchema })),
  topImages: z.array(z.object({ imageName: z.string(), count: CountSchema })),
  topContainers: z.array(z.object({ containerId: z.string(), containerName: z.string(), count: CountSchema })),
  byStatus: z.array(z.object({ status: z.string(), count: CountSchema })),
  meanMinutesToAcknowledge: z.number().nullable(),
  meanMinutesToClose: z.number().nullable(),
});
export type DashboardFigures = z.infer<typeof DashboardSchema>;
export type DashboardRange = DashboardFigures["range"];

export const dashboardFigureKeys = { figures: (range: DashboardRange) => ["dashboard", range] as const };

export function useDashboardFigures(range: DashboardRange) {
  return useQuery({
    queryKey: dashboardFigureKeys.figures(range),
    queryFn: async (): Promise<DashboardFigures> => {
      const response = await fetch(`/api/dashboard?range=${range}`, { cache: "no-store" });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const message = (body as { error?: { message?: string } } | null)?.error?.message;
        throw new Error(message ?? `The server answered ${response.status}.`);
      }
      return DashboardSchema.parse(body);
    },
    refetchInterval: 60_000,
  });
}
