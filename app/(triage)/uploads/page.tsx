import type { Metadata } from "next";
import { FirstVisitHint } from "@/components/help/FirstVisitHint";
import { UploadsPage } from "@/components/uploads/UploadsPage";

export const metadata: Metadata = { title: "Uploads" };

export default function Page() {
  return (
    <>
      <FirstVisitHint screen="uploads" />
      <UploadsPage />
    </>
  );
}
