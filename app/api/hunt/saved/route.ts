import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { listSavedHunts, SavedHuntInputSchema, saveHunt } from "@/lib/db/hunts";
import { personOf } from "@/lib/hunt/person";

export const dynamic = "force-dynamic";

/** GET /api/hunt/saved: the signed-in person's saved hunts, by name. */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const person = personOf(auth.principal);
  if (!person.ok) return person.response;
  return NextResponse.json({ items: await listSavedHunts(person.userId) });
});

/** POST /api/hunt/saved: saves a hunt under a name (the same name replaces it). */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const person = personOf(auth.principal);
  if (!person.ok) return person.response;
  const body = await readJsonBody(request, SavedHuntInputSchema, 256 * 1024);
  if (!body.ok) return body.response;
  return NextResponse.json({ item: await saveHunt(person.userId, body.data) }, { status: 201 });
});
