import type { Metadata } from "next";
import { ExceptionsPage } from "@/components/exceptions/ExceptionsPage";
import { FirstVisitHint } from "@/components/help/FirstVisitHint";

export const metadata: Metadata = { title: "Exceptions" };

export default function Page() {
  return (
    <>
      <FirstVisitHint screen="exceptions" />
      <ExceptionsPage />
    </>
  );
}
