import { NextResponse } from "next/server";
import type { z } from "zod";
import { readJsonBody } from "@/lib/app/body";
import { type Actor, actorOf, type Outcome, refusalResponse } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";

/**
 * Changing and deleting one notification channel or notification rule by id. The two kinds are managed alike (same
 * permission, body limit, audit actor and refusals); only the patch schema, the admin call and the key the changed
 * item is answered under differ, so both [id] routes call these and cannot drift apart.
 */

type ItemContext = { params: Promise<{ id: string }> };

/** A patch is a few settings; a larger body is a mistake or an attack, refused before it is parsed. */
const PATCH_MAX_BYTES = 32 * 1024;

/** PATCH: validates the body with `schema`, applies it with `update` and answers `{ [key]: changed item }`. */
export async function patchNotificationItem<S extends z.ZodType, Item>(
  request: Request,
  context: ItemContext,
  item: { schema: S; update: (actor: Actor, id: string, patch: z.infer<S>) => Promise<Outcome<Item>>; key: string },
): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, item.schema, PATCH_MAX_BYTES);
  if (!body.ok) return body.response;
  const { id } = await context.params;
  const outcome = await item.update(actorOf(request, auth), id, body.data);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json({ [item.key]: outcome.value });
}

/** DELETE: removes the item with `remove` and answers what it returns (`{ id }`). */
export async function deleteNotificationItem<Deleted>(
  request: Request,
  context: ItemContext,
  remove: (actor: Actor, id: string) => Promise<Outcome<Deleted>>,
): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const outcome = await remove(actorOf(request, auth), id);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json(outcome.value);
}
