import type { Metadata } from "next";
import { ApiReference } from "@/components/help/ApiReference";
import { PageHeader } from "@/components/ui/PageHeader";
import { buildOpenApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "API reference" };

export default function Page() {
  return (
    <>
      <PageHeader
        title="API reference"
        description="Every HTTP endpoint, generated from the schemas the server validates with."
      />
      <ApiReference document={buildOpenApiDocument()} />
    </>
  );
}
