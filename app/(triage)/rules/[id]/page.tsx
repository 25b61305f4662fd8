import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RuleDetailPage } from "@/components/rules/RuleDetailPage";
import { currentPrincipal } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/roles";
import { getRule } from "@/lib/db/rule-admin";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const detail = await getRule(id);
  return { title: detail ? detail.rule.name : "Rule not found" };
}

export default async function Page({ params }: Props) {
  // Rule ids are path-safe by schema (letters, digits, ".", "_", "-"), so the segment is the id.
  const { id } = await params;
  const [detail, principal] = await Promise.all([getRule(id), currentPrincipal()]);
  if (!detail) notFound();
  const canWrite = principal ? can(principal.role, "rules:write") : false;
  return <RuleDetailPage id={id} canWrite={canWrite} />;
}
