import type { Metadata } from "next";
import { AlertsPage } from "@/components/alerts/AlertsPage";
import { FirstVisitHint } from "@/components/help/FirstVisitHint";

export const metadata: Metadata = { title: "Alerts" };

export default function Page() {
  return (
    <>
      <FirstVisitHint screen="alerts" />
      <AlertsPage />
    </>
  );
}
