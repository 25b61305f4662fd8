import type { Metadata } from "next";
import { HuntPage } from "@/components/hunt/HuntPage";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Hunt" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Hunt"
        description="Search the stored events with EQL, the language and engine of the rules: a time range, a container, host or upload scope, and a rule from the query when it finds what you were after."
      />
      <HuntPage />
    </>
  );
}
