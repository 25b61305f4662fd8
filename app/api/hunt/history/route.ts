import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { huntHistory } from "@/lib/db/hunts";
import { personOf } from "@/lib/hunt/person";

export const dynamic = "force-dynamic";

/** GET /api/hunt/history: the last queries the signed-in person ran, newest first. */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const person = personOf(auth.principal);
  if (!person.ok) return person.response;
  return NextResponse.json({ items: await huntHistory(person.userId) });
});
