/**
 * Stored false-positive exceptions: items (rule-scoped or in a shared list),
 * shared lists and their rule attachments, comments, value lists; loading the
 * active set for detection; closing the open alerts an item covers; the
 * impact preview; NDJSON export and import.
 *
 * The matching itself lives in lib/exceptions (no database there). An alert
 * is covered by an item when ANY of its triggering events matches: Elastic
 * applies exceptions as a filter on the events a rule's query sees, so an
 * excepted event can be part of no match, sequences included.
 */
import { compile, createRunner, type EqlResult } from "../eql";
import {
  type ActiveExceptions,
  type ConditionGroups,
  ConditionGroupsSchema,
  compileExceptionItem,
  type EventPredicate,
  type ExceptionItemInput,
  type ExceptionItemPatch,
  type ExceptionListInput,
  type ExceptionListPatch,
  type ExportedLine,
  isActive,
  type LineError,
  type MatchableItem,
  parseExceptionsNdjson,
  parseValueListText,
  referencedListIds,
  toNdjson,
} from "../exceptions";
import type { Prisma } from "../generated/prisma/client";
import { appendAudit } from "./audit";
import { prisma } from "./client";
import { EVENT_LOCATION_SELECT, EventReader, scanStoredEvents } from "./events";
import { chunk, rowsPerStatement } from "./sql";
import { retryingTransaction } from "./transactions";

// ---------------------------------------------------------------- errors and actors

/** A refusal the API turns into an error body: 400 with the field, 404, or 409. */
export class ExceptionStoreError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: "invalid_request" | "not_found" | "conflict",
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const notFound = (what: string, id: string) => new ExceptionStoreError(404, "not_found", `No ${what} with id "${id}".`);
const invalid = (field: string, message: string) => new ExceptionStoreError(400, "invalid_request", message, field);

/** Who made a change: `id` is a user id (null for API tokens), `label` as the audit log shows it. */
export interface ExceptionActor {
  id: string | null;
  label: string;
  ip?: string | null;
}

// ---------------------------------------------------------------- views

export interface PersonRef {
  id: string;
  name: string;
}

export interface ExceptionCommentView {
  id: string;
  body: string;
  author: PersonRef | null;
  createdAt: string;
}

export type ExceptionScopeView =
  | { kind: "rule"; ruleId: string; ruleName: string }
  | { kind: "list"; listId: string; listName: string; ruleIds: string[] };

export interface ExceptionItemView {
  id: string;
  name: string;
  description: string;
  scope: ExceptionScopeView;
  groups: ConditionGroups;
  expiresAt: string | null;
  expired: boolean;
  createdBy: PersonRef | null;
  updatedBy: PersonRef | null;
  createdAt: string;
  updatedAt: string;
  comments: ExceptionCommentView[];
}

export interface ExceptionListView {
  id: string;
  name: string;
  description: string;
  rules: { id: string; name: string }[];
  itemCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ValueListView {
  id: string;
  name: string;
  valueCount: number;
  createdAt: string;
}

/** Stored conditions are parsed at the edge; a corrupt row reads as matching nothing rather than failing a page. */
function parseGroups(text: string): ConditionGroups {
  try {
    const parsed = ConditionGroupsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

const itemInclude = {
  rule: { select: { id: true, name: true } },
  list: { select: { id: true, name: true, rules: { select: { ruleId: true } } } },
  comments: { orderBy: { createdAt: "asc" } },
} satisfies Prisma.ExceptionItemInclude;

type ItemRow = Prisma.ExceptionItemGetPayload<{ include: typeof itemInclude }>;

async function peopleById(ids: Iterable<string | null>): Promise<Map<string, PersonRef>> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const users = await prisma().user.findMany({
    where: { id: { in: wanted } },
    select: { id: true, displayName: true },
  });
  return new Map(users.map((user) => [user.id, { id: user.id, name: user.displayName }]));
}

async function toViews(rows: ItemRow[], now: Date): Promise<ExceptionItemView[]> {
  const people = await peopleById(
    rows.flatMap((row) => [row.createdById, row.updatedById, ...row.comments.map((c) => c.authorId)]),
  );
  const person = (id: string | null) => (id === null ? null : (people.get(id) ?? null));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    scope: row.list
      ? { kind: "list", listId: row.list.id, listName: row.list.name, ruleIds: row.list.rules.map((r) => r.ruleId) }
      : { kind: "rule", ruleId: row.ruleId ?? "", ruleName: row.rule?.name ?? row.ruleId ?? "" },
    groups: parseGroups(row.conditions),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    expired: !isActive({ expiresAt: row.expiresAt }, now),
    createdBy: person(row.createdById),
    updatedBy: person(row.updatedById),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    comments: row.comments.map((comment) => ({
      id: comment.id,
      body: comment.body,
      author: person(comment.authorId),
      createdAt: comment.createdAt.toISOString(),
    })),
  }));
}

// ---------------------------------------------------------------- items

export interface ExceptionItemFilter {
  /** Items that apply to this rule: its own, and those of lists attached to it. */
  ruleId?: string;
  listId?: string;
  /** true: only expired items; false: only active ones; absent: both. */
  expired?: boolean;
}

export async function listExceptionItems(
  filter: ExceptionItemFilter = {},
  now = new Date(),
): Promise<ExceptionItemView[]> {
  const and: Prisma.ExceptionItemWhereInput[] = [];
  if (filter.ruleId !== undefined) {
    and.push({ OR: [{ ruleId: filter.ruleId }, { list: { rules: { some: { ruleId: filter.ruleId } } } }] });
  }
  if (filter.listId !== undefined) and.push({ listId: filter.listId });
  if (filter.expired === true) and.push({ expiresAt: { lte: now } });
  if (filter.expired === false) and.push({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });
  const rows = await prisma().exceptionItem.findMany({
    where: { AND: and },
    include: itemInclude,
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    take: 1_000,
  });
  return toViews(rows, now);
}

export async function getExceptionItem(id: string, now = new Date()): Promise<ExceptionItemView | null> {
  const row = await prisma().exceptionItem.findUnique({ where: { id }, include: itemInclude });
  if (!row) return null;
  const [view] = await toViews([row], now);
  return view ?? null;
}

async function checkScope(
  scope: ExceptionItemInput["scope"],
): Promise<{ ruleId: string | null; listId: string | null }> {
  if ("ruleId" in scope) {
    const rule = await prisma().rule.findUnique({ where: { id: scope.ruleId }, select: { id: true } });
    if (!rule) throw invalid("scope.ruleId", `scope.ruleId: no rule with id "${scope.ruleId}"`);
    return { ruleId: rule.id, listId: null };
  }
  const list = await prisma().exceptionList.findUnique({ where: { id: scope.listId }, select: { id: true } });
  if (!list) throw invalid("scope.listId", `scope.listId: no exception list with id "${scope.listId}"`);
  return { ruleId: null, listId: list.id };
}

async function checkValueLists(groups: ConditionGroups): Promise<void> {
  const ids = referencedListIds(groups);
  if (ids.length === 0) return;
  const found = await prisma().valueList.findMany({ where: { id: { in: ids } }, select: { id: true } });
  const known = new Set(found.map((list) => list.id));
  groups.forEach((group, g) => {
    group.forEach((condition, c) => {
      if (condition.listId && !known.has(condition.listId)) {
        const field = `groups.${g}.${c}.listId`;
        throw invalid(field, `${field}: no value list with id "${condition.listId}"`);
      }
    });
  });
}

export async function createExceptionItem(
  input: ExceptionItemInput,
  actor: ExceptionActor,
): Promise<ExceptionItemView> {
  const scope = await checkScope(input.scope);
  await checkValueLists(input.groups);
  const row = await prisma().exceptionItem.create({
    data: {
      ...scope,
      name: input.name,
      description: input.description ?? "",
      conditions: JSON.stringify(input.groups),
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      createdById: actor.id,
      updatedById: actor.id,
      comments: input.comment ? { create: { body: input.comment, authorId: actor.id } } : undefined,
    },
  });
  await audit(actor, "exception.create", row.id, { name: row.name, ...scope });
  return (await getExceptionItem(row.id)) as ExceptionItemView;
}

export async function updateExceptionItem(
  id: string,
  patch: ExceptionItemPatch,
  actor: ExceptionActor,
): Promise<ExceptionItemView> {
  const existing = await prisma().exceptionItem.findUnique({ where: { id }, select: { id: true } });
  if (!existing) throw notFound("exception", id);
  const scope = patch.scope ? await checkScope(patch.scope) : undefined;
  if (patch.groups) await checkValueLists(patch.groups);
  await prisma().exceptionItem.update({
    where: { id },
    data: {
      ...(scope ?? {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.groups !== undefined ? { conditions: JSON.stringify(patch.groups) } : {}),
      ...(patch.expiresAt !== undefined
        ? { expiresAt: patch.expiresAt === null ? null : new Date(patch.expiresAt) }
        : {}),
      updatedById: actor.id,
      comments: patch.comment ? { create: { body: patch.comment, authorId: actor.id } } : undefined,
    },
  });
  const changed = Object.keys(patch).filter((key) => key !== "comment");
  await audit(actor, "exception.update", id, { fields: changed, commented: patch.comment !== undefined });
  return (await getExceptionItem(id)) as ExceptionItemView;
}

export async function deleteExceptionItem(id: string, actor: ExceptionActor): Promise<void> {
  const existing = await prisma().exceptionItem.findUnique({ where: { id }, select: { name: true } });
  if (!existing) throw notFound("exception", id);
  await prisma().exceptionItem.delete({ where: { id } });
  await audit(actor, "exception.delete", id, { name: existing.name });
}

export async function addExceptionComment(
  itemId: string,
  body: string,
  actor: ExceptionActor,
): Promise<ExceptionCommentView> {
  const item = await prisma().exceptionItem.findUnique({ where: { id: itemId }, select: { id: true } });
  if (!item) throw notFound("exception", itemId);
  const comment = await prisma().exceptionComment.create({ data: { itemId, body, authorId: actor.id } });
  const people = await peopleById([actor.id]);
  return {
    id: comment.id,
    body: comment.body,
    author: actor.id ? (people.get(actor.id) ?? null) : null,
    createdAt: comment.createdAt.toISOString(),
  };
}

function audit(actor: ExceptionActor, action: string, targetId: string, details: Record<string, unknown>) {
  const targetType = action.startsWith("exception_list")
    ? "exception_list"
    : action.startsWith("value_list")
      ? "value_list"
      : "exception";
  return appendAudit({
    actorId: actor.id,
    actorLabel: actor.label,
    action,
    targetType,
    targetId,
    details,
    ip: actor.ip ?? null,
  });
}

// ---------------------------------------------------------------- shared lists

const listInclude = {
  rules: { select: { rule: { select: { id: true, name: true } } } },
  _count: { select: { items: true } },
} satisfies Prisma.ExceptionListInclude;

function toListView(row: Prisma.ExceptionListGetPayload<{ include: typeof listInclude }>): ExceptionListView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    rules: row.rules.map((link) => link.rule).sort((a, b) => a.name.localeCompare(b.name)),
    itemCount: row._count.items,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listExceptionLists(): Promise<ExceptionListView[]> {
  const rows = await prisma().exceptionList.findMany({ include: listInclude, orderBy: { name: "asc" }, take: 1_000 });
  return rows.map(toListView);
}

export async function getExceptionList(id: string): Promise<ExceptionListView | null> {
  const row = await prisma().exceptionList.findUnique({ where: { id }, include: listInclude });
  return row ? toListView(row) : null;
}

async function checkRules(ruleIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ruleIds)];
  const found = await prisma().rule.findMany({ where: { id: { in: unique } }, select: { id: true } });
  const known = new Set(found.map((rule) => rule.id));
  const index = unique.findIndex((id) => !known.has(id));
  if (index >= 0) throw invalid(`ruleIds.${index}`, `ruleIds.${index}: no rule with id "${unique[index]}"`);
  return unique;
}

async function checkListName(name: string, exceptId?: string): Promise<void> {
  const clash = await prisma().exceptionList.findUnique({ where: { name }, select: { id: true } });
  if (clash && clash.id !== exceptId) {
    throw new ExceptionStoreError(409, "conflict", `An exception list named "${name}" already exists.`, "name");
  }
}

export async function createExceptionList(
  input: ExceptionListInput,
  actor: ExceptionActor,
): Promise<ExceptionListView> {
  await checkListName(input.name);
  const ruleIds = await checkRules(input.ruleIds ?? []);
  const row = await prisma().exceptionList.create({
    data: {
      name: input.name,
      description: input.description ?? "",
      createdById: actor.id,
      rules: { create: ruleIds.map((ruleId) => ({ ruleId })) },
    },
  });
  await audit(actor, "exception_list.create", row.id, { name: row.name, ruleIds });
  return (await getExceptionList(row.id)) as ExceptionListView;
}

export async function updateExceptionList(
  id: string,
  patch: ExceptionListPatch,
  actor: ExceptionActor,
): Promise<ExceptionListView> {
  const existing = await prisma().exceptionList.findUnique({ where: { id }, select: { id: true } });
  if (!existing) throw notFound("exception list", id);
  if (patch.name !== undefined) await checkListName(patch.name, id);
  const ruleIds = patch.ruleIds ? await checkRules(patch.ruleIds) : undefined;
  await prisma().$transaction(async (tx) => {
    await tx.exceptionList.update({
      where: { id },
      data: {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
      },
    });
    if (ruleIds) {
      await tx.ruleExceptionList.deleteMany({ where: { listId: id } });
      if (ruleIds.length > 0)
        await tx.ruleExceptionList.createMany({ data: ruleIds.map((ruleId) => ({ ruleId, listId: id })) });
    }
  });
  await audit(actor, "exception_list.update", id, { fields: Object.keys(patch), ...(ruleIds ? { ruleIds } : {}) });
  return (await getExceptionList(id)) as ExceptionListView;
}

export async function attachListToRule(listId: string, ruleId: string, actor: ExceptionActor): Promise<void> {
  const list = await getExceptionList(listId);
  if (!list) throw notFound("exception list", listId);
  await checkRules([ruleId]);
  await prisma().ruleExceptionList.upsert({
    where: { ruleId_listId: { ruleId, listId } },
    create: { ruleId, listId },
    update: {},
  });
  await audit(actor, "exception_list.attach", listId, { ruleId });
}

export async function detachListFromRule(listId: string, ruleId: string, actor: ExceptionActor): Promise<void> {
  await prisma().ruleExceptionList.deleteMany({ where: { listId, ruleId } });
  await audit(actor, "exception_list.detach", listId, { ruleId });
}

/** Deleting a list deletes its items (they exist only as part of it). */
export async function deleteExceptionList(id: string, actor: ExceptionActor): Promise<void> {
  const existing = await prisma().exceptionList.findUnique({ where: { id }, select: { name: true } });
  if (!existing) throw notFound("exception list", id);
  await prisma().exceptionList.delete({ where: { id } });
  await audit(actor, "exception_list.delete", id, { name: existing.name });
}

// ---------------------------------------------------------------- value lists

export async function listValueLists(): Promise<ValueListView[]> {
  const rows = await prisma().valueList.findMany({
    include: { _count: { select: { values: true } } },
    orderBy: { name: "asc" },
    take: 1_000,
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    valueCount: row._count.values,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** A value list from text, one value per line (see parseValueListText); the whole list in one transaction. */
export async function createValueList(name: string, text: string, actor: ExceptionActor): Promise<ValueListView> {
  const parsed = parseValueListText(text);
  if (!parsed.ok) throw invalid("text", `text: ${parsed.message}`);
  const clash = await prisma().valueList.findUnique({ where: { name }, select: { id: true } });
  if (clash) throw new ExceptionStoreError(409, "conflict", `A value list named "${name}" already exists.`, "name");
  const list = await prisma().$transaction(async (tx) => {
    const created = await tx.valueList.create({ data: { name } });
    for (const part of chunk(parsed.values, rowsPerStatement(2))) {
      await tx.valueListItem.createMany({ data: part.map((value) => ({ listId: created.id, value })) });
    }
    return created;
  });
  await audit(actor, "value_list.create", list.id, { name, values: parsed.values.length });
  return { id: list.id, name: list.name, valueCount: parsed.values.length, createdAt: list.createdAt.toISOString() };
}

async function loadValueLists(ids: readonly string[]): Promise<Map<string, Set<string>>> {
  const lists = new Map<string, Set<string>>();
  for (const id of ids) {
    const exists = await prisma().valueList.findUnique({ where: { id }, select: { id: true } });
    if (!exists) continue;
    const rows = await prisma().valueListItem.findMany({ where: { listId: id }, select: { value: true } });
    lists.set(id, new Set(rows.map((row) => row.value)));
  }
  return lists;
}

// ---------------------------------------------------------------- loading for detection

/**
 * The exceptions that apply to `ruleIds` at `now`, for compileExceptions in
 * lib/exceptions. This is what ingest calls once per upload:
 *
 *   const active = await loadActiveExceptions(ruleIds, new Date());
 *   const exceptions = compileExceptions(active, { now });
 *   exceptions.match(ruleId, event) // → { itemId, name } | null
 *
 * Returns `{ items, attachments, valueLists }`:
 * - items: MatchableItem[] — rule-scoped items of these rules and the items of
 *   lists attached to them, unexpired at `now`, conditions parsed;
 * - attachments: {ruleId, listId}[] — which of these rules each list serves;
 * - valueLists: Map<listId, Set<value>> — only the lists their conditions name.
 */
export async function loadActiveExceptions(ruleIds: readonly string[], now: Date): Promise<ActiveExceptions> {
  const ids = [...new Set(ruleIds)];
  if (ids.length === 0) return { items: [], attachments: [], valueLists: new Map() };
  const attachments = await prisma().ruleExceptionList.findMany({
    where: { ruleId: { in: ids } },
    select: { ruleId: true, listId: true },
  });
  const listIds = [...new Set(attachments.map((a) => a.listId))];
  const rows = await prisma().exceptionItem.findMany({
    where: {
      AND: [
        { OR: [{ ruleId: { in: ids } }, { listId: { in: listIds } }] },
        { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      ],
    },
    select: { id: true, name: true, ruleId: true, listId: true, conditions: true, expiresAt: true },
  });
  const items: MatchableItem[] = rows.map((row) => ({
    id: row.id,
    name: row.name,
    ruleId: row.ruleId,
    listId: row.listId,
    groups: parseGroups(row.conditions),
    expiresAt: row.expiresAt,
  }));
  const valueLists = await loadValueLists([...new Set(items.flatMap((item) => referencedListIds(item.groups)))]);
  return { items, attachments, valueLists };
}

// ---------------------------------------------------------------- alerts an item covers

/** The rules an item (or an unsaved item's scope) applies to. */
async function scopeRuleIds(scope: { ruleId: string | null; listId: string | null }): Promise<string[]> {
  if (scope.ruleId !== null) return [scope.ruleId];
  if (scope.listId === null) return [];
  const links = await prisma().ruleExceptionList.findMany({
    where: { listId: scope.listId },
    select: { ruleId: true },
  });
  return links.map((link) => link.ruleId);
}

const ALERT_BATCH = 200;
const NOT_CLOSED = ["open", "acknowledged"];

export interface AlertSample {
  id: string;
  ruleId: string;
  ruleName: string;
  timestamp: string;
  status: string;
  processName: string | null;
  containerName: string | null;
}

/**
 * Every not-closed alert of `ruleIds` with a triggering event `test` accepts,
 * read in id-ordered batches with their event documents.
 */
async function* coveredAlerts(ruleIds: readonly string[], test: EventPredicate): AsyncGenerator<AlertSample> {
  if (ruleIds.length === 0) return;
  const reader = new EventReader();
  let cursor: string | undefined;
  for (;;) {
    const alerts = await prisma().alert.findMany({
      where: { ruleId: { in: [...ruleIds] }, status: { in: NOT_CLOSED }, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: ALERT_BATCH,
      select: {
        id: true,
        ruleId: true,
        ruleName: true,
        timestamp: true,
        status: true,
        processName: true,
        containerName: true,
        events: { select: { event: { select: EVENT_LOCATION_SELECT } } },
      },
    });
    const texts = await reader.documents(alerts.flatMap((alert) => alert.events.map((link) => link.event)));
    for (const alert of alerts) {
      const covered = alert.events.some((link) => {
        const found = texts.get(link.event.id);
        return typeof found === "string" && test(parseDocument(found));
      });
      if (covered) {
        yield {
          id: alert.id,
          ruleId: alert.ruleId,
          ruleName: alert.ruleName,
          timestamp: alert.timestamp.toISOString(),
          status: alert.status,
          processName: alert.processName,
          containerName: alert.containerName,
        };
      }
    }
    if (alerts.length < ALERT_BATCH) return;
    cursor = alerts.at(-1)?.id;
  }
}

function parseDocument(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * Closes the not-closed alerts of the item's rules that it covers: status
 * closed, reason false_positive, linked to the item, one AlertChange per
 * alert, version bumped, all in one transaction. Alerts closed meanwhile by
 * someone else are left alone. Returns the ids closed.
 */
export async function closeMatchingAlerts(
  itemId: string,
  actorId: string | null,
  audit?: { label: string; ip?: string | null },
): Promise<{ closed: number; alertIds: string[] }> {
  const item = await prisma().exceptionItem.findUnique({
    where: { id: itemId },
    select: { id: true, name: true, ruleId: true, listId: true, conditions: true },
  });
  if (!item) throw notFound("exception", itemId);
  const groups = parseGroups(item.conditions);
  const test = compileExceptionItem({ groups }, await loadValueLists(referencedListIds(groups)));
  const ids: string[] = [];
  for await (const alert of coveredAlerts(await scopeRuleIds(item), test)) ids.push(alert.id);
  if (ids.length === 0) return { closed: 0, alertIds: [] };

  const now = new Date();
  const closed = await retryingTransaction(async (tx) => {
    const done: string[] = [];
    for (const part of chunk(ids, 500)) {
      const current = await tx.alert.findMany({
        where: { id: { in: part }, status: { in: NOT_CLOSED } },
        select: { id: true, status: true },
      });
      if (current.length === 0) continue;
      await tx.alert.updateMany({
        where: { id: { in: current.map((a) => a.id) }, status: { in: NOT_CLOSED } },
        data: {
          status: "closed",
          closingReason: "false_positive",
          closedAt: now,
          closedByExceptionId: item.id,
          version: { increment: 1 },
        },
      });
      await tx.alertChange.createMany({
        data: current.map((alert) => ({
          alertId: alert.id,
          actorId,
          field: "status",
          fromValue: alert.status,
          toValue: "closed",
          reason: "false_positive",
          createdAt: now,
        })),
      });
      done.push(...current.map((a) => a.id));
    }
    return done;
  });
  if (audit) {
    await appendAudit({
      actorId: actorId?.startsWith("token:") ? null : actorId,
      actorLabel: audit.label,
      action: "exception.close_alerts",
      targetType: "exception",
      targetId: item.id,
      details: { closed: closed.length },
      ip: audit.ip ?? null,
    });
  }
  return { closed: closed.length, alertIds: closed };
}

// ---------------------------------------------------------------- impact preview

export const PREVIEW_SAMPLE = 5;
export const PREVIEW_MAX_DAYS = 90;
const EVENT_BATCH = 1_000;

export interface EventSample {
  eventId: number;
  timestamp: string;
  processName: string | null;
  processExecutable: string | null;
  containerId: string | null;
  hostName: string | null;
}

export interface RulePreview {
  ruleId: string;
  ruleName: string;
  /** Stored events of the window the rule's query selects (alone or in a sequence) and the item covers. */
  eventsSuppressed: number;
  sample: EventSample[];
  /** Set when the rule's query could not be run (it then counts nothing). */
  error?: string;
}

export interface ExceptionPreview {
  days: number;
  from: string;
  to: string;
  eventsScanned: number;
  /** Stored events of the window the item's conditions match, whatever the rule. */
  eventsMatched: number;
  alertsToClose: { count: number; sample: AlertSample[] };
  rules: RulePreview[];
}

interface RuleRun {
  view: RulePreview;
  push: ((event: Record<string, unknown>) => EqlResult[]) | null;
  finish: (() => EqlResult[]) | null;
}

/**
 * What an unsaved item would do: the open alerts it would close, and for
 * each rule in its scope the stored events of the last `days` days (by event
 * timestamp) that it would have kept from alerting — each rule's query is
 * run over the window in time order, and an event counts when it is part of
 * a match and the item covers it. Events are read in batches by cursor.
 */
export async function previewException(
  input: Pick<ExceptionItemInput, "scope" | "groups">,
  options: { days: number; now?: Date },
): Promise<ExceptionPreview> {
  const now = options.now ?? new Date();
  const days = Math.min(Math.max(options.days, 1), PREVIEW_MAX_DAYS);
  const from = new Date(now.getTime() - days * 86_400_000);
  const scope = await checkScope(input.scope);
  await checkValueLists(input.groups);
  const test = compileExceptionItem(input, await loadValueLists(referencedListIds(input.groups)));
  const ruleIds = await scopeRuleIds(scope);

  const alertSample: AlertSample[] = [];
  let alertCount = 0;
  for await (const alert of coveredAlerts(ruleIds, test)) {
    alertCount++;
    if (alertSample.length < PREVIEW_SAMPLE) alertSample.push(alert);
  }

  const rules = await prisma().rule.findMany({
    where: { id: { in: ruleIds } },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      query: true,
      eventCategoryField: true,
      timestampField: true,
      tiebreakerField: true,
    },
  });
  const runs: RuleRun[] = rules.map((rule) => {
    const view: RulePreview = { ruleId: rule.id, ruleName: rule.name, eventsSuppressed: 0, sample: [] };
    try {
      const runner = createRunner(
        compile(rule.query, {
          eventCategoryField: rule.eventCategoryField,
          timestampField: rule.timestampField,
          ...(rule.tiebreakerField ? { tiebreakerField: rule.tiebreakerField } : {}),
        }),
      );
      return { view, push: (event) => runner.push(event), finish: () => runner.finish() };
    } catch (error) {
      view.error = (error as Error).message;
      return { view, push: null, finish: null };
    }
  });

  // Per event: its row, whether the item covers it; results name events by object identity.
  const rowsByEvent = new WeakMap<object, { sample: EventSample; covered: boolean }>();
  const counted = runs.map(() => new Set<number>());
  const record = (index: number, results: EqlResult[]) => {
    const run = runs[index] as RuleRun;
    for (const result of results) {
      const events = result.kind === "event" ? [result.event] : result.events;
      for (const event of events) {
        const row = rowsByEvent.get(event);
        const seen = counted[index] as Set<number>;
        if (!row?.covered || seen.has(row.sample.eventId)) continue;
        seen.add(row.sample.eventId);
        run.view.eventsSuppressed++;
        if (run.view.sample.length < PREVIEW_SAMPLE) run.view.sample.push(row.sample);
      }
    }
  };

  let eventsScanned = 0;
  let eventsMatched = 0;
  const rows = scanStoredEvents({
    where: { timestamp: { gte: from, lte: now } },
    extra: { processName: true, processExecutable: true, containerId: true, hostName: true },
    pageSize: EVENT_BATCH,
  });
  for await (const row of rows) {
    eventsScanned++;
    const event = parseDocument(row.text);
    const covered = test(event);
    if (covered) eventsMatched++;
    rowsByEvent.set(event, {
      covered,
      sample: {
        eventId: row.id,
        timestamp: row.timestamp.toISOString(),
        processName: row.processName,
        processExecutable: row.processExecutable,
        containerId: row.containerId,
        hostName: row.hostName,
      },
    });
    runs.forEach((run, index) => {
      if (run.push) record(index, run.push(event));
    });
  }
  runs.forEach((run, index) => {
    if (run.finish) record(index, run.finish());
  });

  return {
    days,
    from: from.toISOString(),
    to: now.toISOString(),
    eventsScanned,
    eventsMatched,
    alertsToClose: { count: alertCount, sample: alertSample },
    rules: runs.map((run) => run.view),
  };
}

// ---------------------------------------------------------------- NDJSON

/** Every shared list (with its rules), then every item, as NDJSON (lib/exceptions/ndjson.ts). */
export async function exportExceptions(): Promise<string> {
  const lists = await prisma().exceptionList.findMany({
    orderBy: { name: "asc" },
    include: { rules: { select: { ruleId: true }, orderBy: { ruleId: "asc" } } },
  });
  const names = new Map(lists.map((list) => [list.id, list.name]));
  const lines: ExportedLine[] = lists.map((list) => ({
    type: "exception_list",
    name: list.name,
    description: list.description,
    rules: list.rules.map((r) => r.ruleId),
  }));
  const items = await prisma().exceptionItem.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  for (const item of items) {
    const scope = item.ruleId !== null ? { ruleId: item.ruleId } : { listName: names.get(item.listId ?? "") ?? "" };
    lines.push({
      type: "exception_item",
      name: item.name,
      description: item.description,
      ...scope,
      groups: parseGroups(item.conditions),
      expiresAt: item.expiresAt?.toISOString() ?? null,
    });
  }
  return toNdjson(lines);
}

export interface ImportReport {
  listsCreated: number;
  listsUpdated: number;
  itemsCreated: number;
  /** items skipped because the same item (scope, name, conditions) is already stored: importing twice adds nothing */
  itemsUnchanged: number;
  errors: LineError[];
}

/**
 * Imports NDJSON: a list whose name exists gains the named rules; an item is
 * created unless one with the same scope, name and conditions is stored. A line that fails (bad JSON, unknown rule, list or
 * value list) is reported with its number and skipped; the others go in.
 */
export async function importExceptions(text: string, actor: ExceptionActor): Promise<ImportReport> {
  const parsed = parseExceptionsNdjson(text);
  const report: ImportReport = {
    listsCreated: 0,
    listsUpdated: 0,
    itemsCreated: 0,
    itemsUnchanged: 0,
    errors: [...parsed.errors],
  };
  for (const { line, value } of parsed.lines) {
    try {
      if (value.type === "exception_list") {
        const existing = await prisma().exceptionList.findUnique({ where: { name: value.name }, select: { id: true } });
        if (existing) {
          const current = await prisma().ruleExceptionList.findMany({ where: { listId: existing.id } });
          const ruleIds = [...new Set([...current.map((c) => c.ruleId), ...value.rules])];
          await updateExceptionList(existing.id, { ruleIds }, actor);
          report.listsUpdated++;
        } else {
          await createExceptionList({ name: value.name, description: value.description, ruleIds: value.rules }, actor);
          report.listsCreated++;
        }
      } else {
        let scope: ExceptionItemInput["scope"];
        if (value.ruleId !== undefined) {
          scope = { ruleId: value.ruleId };
        } else {
          const list = await prisma().exceptionList.findUnique({
            where: { name: value.listName ?? "" },
            select: { id: true },
          });
          if (!list) throw invalid("listName", `listName: no exception list named "${value.listName}"`);
          scope = { listId: list.id };
        }
        const same = await prisma().exceptionItem.findFirst({
          where: { name: value.name, conditions: JSON.stringify(value.groups), ...scope },
          select: { id: true },
        });
        if (same) {
          report.itemsUnchanged++;
          continue;
        }
        await createExceptionItem(
          {
            name: value.name,
            description: value.description,
            scope,
            groups: value.groups,
            ...(value.expiresAt ? { expiresAt: value.expiresAt } : {}),
          },
          actor,
        );
        report.itemsCreated++;
      }
    } catch (error) {
      if (!(error instanceof ExceptionStoreError)) throw error;
      report.errors.push({ line, message: error.message });
    }
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}
