import type { Metadata } from "next";
import { AlertsPage } from "@/components/alerts/AlertsPage";
import { loadAlertsPageSeed, type PageSearchParams, toUrlSearchParams } from "@/components/alerts/first-page";
import { FirstVisitHint } from "@/components/help/FirstVisitHint";
import { requireSignedIn } from "@/lib/auth/page-guard";

export const metadata: Metadata = { title: "Alerts" };

/**
 * The first page of alerts is read here, on the server, so it is in the HTML:
 * with a million alerts stored the rows used to wait for the scripts, hydration
 * and a second request. The page checks who is signed in itself (layouts and
 * pages render in parallel) before reading any alert.
 */
export default async function Page({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const params = toUrlSearchParams(await searchParams);
  const query = params.toString();
  const user = await requireSignedIn(query ? `/alerts?${query}` : "/alerts");
  const seed = await loadAlertsPageSeed(params, user);
  return (
    <>
      <FirstVisitHint screen="alerts" />
      <AlertsPage seed={seed} />
    </>
  );
}
