import type { Metadata } from "next";
import { FirstVisitHint } from "@/components/help/FirstVisitHint";
import { RulesPage } from "@/components/rules/RulesPage";

export const metadata: Metadata = { title: "Rules" };

export default function Page() {
  return (
    <>
      <FirstVisitHint screen="rules" />
      <RulesPage />
    </>
  );
}
