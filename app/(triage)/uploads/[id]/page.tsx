import type { Metadata } from "next";
import { UploadDetailPage } from "@/components/uploads/UploadDetailPage";

export const metadata: Metadata = { title: "Upload" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <UploadDetailPage id={id} />;
}
