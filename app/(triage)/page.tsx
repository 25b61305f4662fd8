import type { Metadata } from "next";
import { DashboardPage } from "@/components/dashboard/DashboardPage";
import { FirstVisitHint } from "@/components/help/FirstVisitHint";

export const metadata: Metadata = { title: "Dashboard" };

export default function Page() {
  return (
    <>
      <FirstVisitHint screen="dashboard" />
      <DashboardPage />
    </>
  );
}
