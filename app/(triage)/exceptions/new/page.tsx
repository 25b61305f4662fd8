import type { Metadata } from "next";
import { NewExceptionPage } from "@/components/exceptions/NewExceptionPage";

export const metadata: Metadata = { title: "New exception" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** /exceptions/new, or /exceptions/new?fromAlert=<alertId> to start from an alert's triggering event. */
export default async function Page({ searchParams }: Props) {
  const fromAlert = (await searchParams).fromAlert;
  return <NewExceptionPage fromAlert={typeof fromAlert === "string" && fromAlert !== "" ? fromAlert : null} />;
}
