import type { Metadata } from "next";
import { ExceptionsPage } from "@/components/exceptions/ExceptionsPage";

export const metadata: Metadata = { title: "Exceptions" };

export default function Page() {
  return <ExceptionsPage />;
}
