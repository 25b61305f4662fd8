import type { Prisma } from "../generated/prisma/client";
import { type AlertContext, type AlertProcessIds, alertContextOf, alertProcessIdsOf } from "./alerts";
import { prisma } from "./client";
import { EVENT_LOCATION_SELECT, type EventLocation, EventReader, type UnreadableEventError } from "./events";

/**
 * Everything the alert detail screen shows, in one JSON-ready value (dates as
 * ISO strings) so the API returns it as is and the UI shares its type.
 * Rule fields stored as JSON text are parsed here, at the edge, and anything
 * malformed degrades to an empty list rather than failing the whole page.
 */

export const RELATED_ALERTS_LIMIT = 10;
export const ANCESTORS_LIMIT = 32;
export const CHILDREN_LIMIT = 50;

export type JsonObject = Record<string, unknown>;

export interface PersonRef {
  id: string;
  name: string;
}

export interface AttackEntry {
  id: string;
  name: string;
  reference: string | null;
}

export interface AlertRuleSummary {
  id: string;
  name: string;
  description: string;
  severity: string;
  riskScore: number;
  enabled: boolean;
  tactics: AttackEntry[];
  /** techniques and sub-techniques, each once, in rule order */
  techniques: AttackEntry[];
  tags: string[];
  references: string[];
  guide: string;
  triageSteps: string[];
  responseSteps: string[];
  falsePositives: string[];
}

export interface TriggeringEvent {
  id: number;
  position: number;
  timestamp: string;
  /** the ECS event; {} when it cannot be read (see `unreadable`) */
  document: JsonObject;
  /** why the event's document cannot be read (a damaged block), shown instead of its fields */
  unreadable?: string;
}

export interface StepState {
  kind: "triage" | "response";
  stepIndex: number;
  checked: boolean;
  checkedBy: PersonRef | null;
  checkedAt: string | null;
  note: string | null;
  updatedAt: string;
}

export interface AlertNoteView {
  id: string;
  body: string;
  author: PersonRef | null;
  createdAt: string;
}

export interface AlertChangeView {
  id: string;
  field: string;
  fromValue: string | null;
  toValue: string | null;
  reason: string | null;
  actor: PersonRef | null;
  createdAt: string;
}

export interface RelatedAlert {
  id: string;
  ruleName: string;
  severity: string;
  riskScore: number;
  status: string;
  timestamp: string;
  processName: string | null;
  containerName: string | null;
  hostName: string | null;
}

export interface RelatedAlerts {
  container: RelatedAlert[];
  host: RelatedAlert[];
  session: RelatedAlert[];
}

export interface ProcessNode {
  entityId: string | null;
  name: string | null;
  executable: string | null;
  commandLine: string | null;
  pid: number | null;
  userName: string | null;
  timestamp: string | null;
  /** the stored event this node was read from; null when only a child's parent fields named it */
  eventId: number | null;
}

export interface ProcessTree {
  /** root first, the direct parent last */
  ancestors: ProcessNode[];
  process: ProcessNode | null;
  children: ProcessNode[];
  ancestorsTruncated: boolean;
  childrenTruncated: boolean;
}

export interface AlertDetail {
  id: string;
  version: number;
  status: string;
  closingReason: string | null;
  assignee: PersonRef | null;
  ruleName: string;
  severity: string;
  riskScore: number;
  /** matches folded into this alert by the rule's alert suppression (absent: none) */
  suppressedCount?: number;
  timestamp: string;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  closedAt: string | null;
  closedByExceptionId: string | null;
  uploadId: string | null;
  context: AlertContext & AlertProcessIds;
  rule: AlertRuleSummary;
  events: TriggeringEvent[];
  steps: StepState[];
  notes: AlertNoteView[];
  history: AlertChangeView[];
  related: RelatedAlerts;
  processTree: ProcessTree;
}

export async function getAlertDetail(id: string): Promise<AlertDetail | null> {
  const db = prisma();
  const alert = await db.alert.findUnique({
    where: { id },
    include: {
      rule: true,
      assignee: { select: { id: true, displayName: true } },
      events: {
        orderBy: { position: "asc" },
        include: { event: { select: { ...EVENT_LOCATION_SELECT, timestamp: true } } },
      },
      stepStates: { orderBy: [{ kind: "asc" }, { stepIndex: "asc" }] },
      notes: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      changes: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
  });
  if (!alert) return null;

  // One reader for the whole request: the triggering events and the process tree often share a block.
  const reader = new EventReader();
  const texts = await reader.documents(alert.events.map((link) => link.event));
  const events = alert.events.map((link): TriggeringEvent => {
    const found = texts.get(link.event.id);
    const common = { id: link.event.id, position: link.position, timestamp: link.event.timestamp.toISOString() };
    return typeof found === "string"
      ? { ...common, document: parseObject(found) }
      : { ...common, document: {}, unreadable: found?.message ?? "the event is missing" };
  });
  const people = await resolvePeople([
    ...alert.stepStates.map((s) => s.checkedById),
    ...alert.notes.map((n) => n.authorId),
    ...alert.changes.map((c) => c.actorId),
    ...alert.changes.filter((c) => c.field === "assignee").flatMap((c) => [c.fromValue, c.toValue]),
  ]);
  const person = (personId: string | null) => (personId ? (people.get(personId) ?? unknownPerson(personId)) : null);

  const [related, processTree] = await Promise.all([
    findRelatedAlerts(alert),
    buildProcessTree(alert.entityId ?? firstEntityId(events), events[0] ?? null, reader),
  ]);

  return {
    id: alert.id,
    version: alert.version,
    status: alert.status,
    closingReason: alert.closingReason,
    assignee: alert.assignee ? { id: alert.assignee.id, name: alert.assignee.displayName } : null,
    ruleName: alert.ruleName,
    severity: alert.severity,
    riskScore: alert.riskScore,
    suppressedCount: alert.suppressedCount,
    timestamp: alert.timestamp.toISOString(),
    createdAt: alert.createdAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
    acknowledgedAt: iso(alert.acknowledgedAt),
    closedAt: iso(alert.closedAt),
    closedByExceptionId: alert.closedByExceptionId,
    uploadId: alert.uploadId,
    context: { ...alertContextOf(alert), ...alertProcessIdsOf(alert) },
    rule: summariseRule(alert.rule),
    events,
    steps: alert.stepStates.map((state) => ({
      kind: state.kind === "response" ? "response" : "triage",
      stepIndex: state.stepIndex,
      checked: state.checked,
      checkedBy: person(state.checkedById),
      checkedAt: iso(state.checkedAt),
      note: state.note,
      updatedAt: state.updatedAt.toISOString(),
    })),
    notes: alert.notes.map((note) => ({
      id: note.id,
      body: note.body,
      author: person(note.authorId),
      createdAt: note.createdAt.toISOString(),
    })),
    history: alert.changes.map((change) => ({
      id: change.id,
      field: change.field,
      // Assignee changes store user ids; people read names.
      fromValue: change.field === "assignee" ? nameOf(person(change.fromValue)) : change.fromValue,
      toValue: change.field === "assignee" ? nameOf(person(change.toValue)) : change.toValue,
      reason: change.reason,
      actor: person(change.actorId),
      createdAt: change.createdAt.toISOString(),
    })),
    related,
    processTree,
  };
}

// ------------------------------------------------------------------ rule

type RuleRow = Prisma.RuleGetPayload<object>;

export function summariseRule(rule: RuleRow): AlertRuleSummary {
  const { tactics, techniques } = parseThreat(rule.threat);
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    riskScore: rule.riskScore,
    enabled: rule.enabled,
    tactics,
    techniques,
    tags: parseStringList(rule.tags),
    references: parseStringList(rule.references),
    guide: rule.guide,
    triageSteps: parseStringList(rule.triageSteps),
    responseSteps: parseStringList(rule.responseSteps),
    falsePositives: parseStringList(rule.falsePositives),
  };
}

/** Tactics and techniques from Elastic's threat array (tactic, technique[], technique.subtechnique[]). */
export function parseThreat(text: string): { tactics: AttackEntry[]; techniques: AttackEntry[] } {
  const tactics = new Map<string, AttackEntry>();
  const techniques = new Map<string, AttackEntry>();
  for (const entry of parseArray(text)) {
    const threat = asObject(entry);
    const tactic = attackEntry(threat?.tactic);
    if (tactic && !tactics.has(tactic.id)) tactics.set(tactic.id, tactic);
    for (const rawTechnique of asArray(threat?.technique)) {
      const technique = attackEntry(rawTechnique);
      if (technique && !techniques.has(technique.id)) techniques.set(technique.id, technique);
      for (const rawSub of asArray(asObject(rawTechnique)?.subtechnique)) {
        const sub = attackEntry(rawSub);
        if (sub && !techniques.has(sub.id)) techniques.set(sub.id, sub);
      }
    }
  }
  return { tactics: [...tactics.values()], techniques: [...techniques.values()] };
}

function attackEntry(value: unknown): AttackEntry | null {
  const object = asObject(value);
  const id = text(object?.id);
  const name = text(object?.name);
  if (!id || !name) return null;
  return { id, name, reference: text(object?.reference) };
}

// ------------------------------------------------------------------ people

/**
 * Names for actor ids. People are User ids; API tokens act as "token:<id>"
 * (see actorIdOf in alert-updates.ts) and read as "token:<name>".
 */
async function resolvePeople(ids: (string | null)[]): Promise<Map<string, PersonRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const tokenIds = wanted.filter((id) => id.startsWith("token:")).map((id) => id.slice("token:".length));
  const userIds = wanted.filter((id) => !id.startsWith("token:"));
  const [users, tokens] = await Promise.all([
    userIds.length
      ? prisma().user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true } })
      : [],
    tokenIds.length
      ? prisma().apiToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true } })
      : [],
  ]);
  const people = new Map<string, PersonRef>();
  for (const user of users) people.set(user.id, { id: user.id, name: user.displayName });
  for (const token of tokens) people.set(`token:${token.id}`, { id: `token:${token.id}`, name: `token:${token.name}` });
  return people;
}

function unknownPerson(id: string): PersonRef {
  return { id, name: "(deleted user)" };
}

function nameOf(person: PersonRef | null): string | null {
  return person ? person.name : null;
}

// ------------------------------------------------------------------ related alerts

const RELATED_SELECT = {
  id: true,
  ruleName: true,
  severity: true,
  riskScore: true,
  status: true,
  timestamp: true,
  processName: true,
  containerName: true,
  hostName: true,
} as const;

/** The `limit` newest of `alerts`, each once (an alert can share both leaders with this one). */
function newestFirst(alerts: RelatedAlert[], limit: number): RelatedAlert[] {
  const byId = new Map(alerts.map((related) => [related.id, related]));
  return [...byId.values()]
    .sort((a, b) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1))
    .slice(0, limit);
}

async function findRelatedAlerts(alert: {
  id: string;
  containerId: string | null;
  hostName: string | null;
  entryLeaderEntityId: string | null;
  sessionLeaderEntityId: string | null;
}): Promise<RelatedAlerts> {
  const find = async (where: Prisma.AlertWhereInput | null): Promise<RelatedAlert[]> => {
    if (!where) return [];
    const rows = await prisma().alert.findMany({
      where: { AND: [where, { id: { not: alert.id } }] },
      orderBy: { timestamp: "desc" },
      take: RELATED_ALERTS_LIMIT,
      select: RELATED_SELECT,
    });
    return rows.map((row) => ({ ...row, timestamp: row.timestamp.toISOString() }));
  };
  // The same session: one query per leader column, each reading its (leader, timestamp) index in order, merged
  // here. As one OR, PostgreSQL's planner walked the whole timestamp index backwards filtering (it expected
  // matches to be common): 290 ms for a session with 580 alerts among 1M, against under 1 ms for each read.
  const [container, host, byEntryLeader, bySessionLeader] = await Promise.all([
    find(alert.containerId ? { containerId: alert.containerId } : null),
    find(alert.hostName ? { hostName: alert.hostName } : null),
    find(alert.entryLeaderEntityId ? { entryLeaderEntityId: alert.entryLeaderEntityId } : null),
    find(alert.sessionLeaderEntityId ? { sessionLeaderEntityId: alert.sessionLeaderEntityId } : null),
  ]);
  return { container, host, session: newestFirst([...byEntryLeader, ...bySessionLeader], RELATED_ALERTS_LIMIT) };
}

// ------------------------------------------------------------------ process tree

type EventRow = {
  id: number;
  timestamp: Date;
  entityId: string | null;
  parentEntityId: string | null;
  /** the event's JSON text, read through the event store ("{}" when unreadable) */
  document: string;
};
// Which process an event belongs to, and its parent, come from its Process row (see eventRowOf).
const EVENT_SELECT = { ...EVENT_LOCATION_SELECT, timestamp: true } as const;

/**
 * The triggering process with its ancestors and children, read from stored
 * events. Ancestors follow process.parent.entity_id through the Process table;
 * where the chain leaves what is stored, the last child's parent fields (or
 * the ancestry Keelwatch added at ingest, keelwatch.process.ancestors) still
 * name the processes above it.
 */
export async function buildProcessTree(
  entityId: string | null,
  triggering: { id: number; timestamp: string; document: JsonObject } | null,
  reader: EventReader = new EventReader(),
): Promise<ProcessTree> {
  const empty: ProcessTree = {
    ancestors: [],
    process: null,
    children: [],
    ancestorsTruncated: false,
    childrenTruncated: false,
  };
  if (!entityId) {
    if (!triggering) return empty;
    const self = nodeFromDocument(triggering.document, triggering.id, triggering.timestamp);
    return { ...empty, process: self, ancestors: enrichmentAncestors(triggering.document) };
  }
  const selfRow = await firstEventOf(entityId, reader);
  const process = selfRow
    ? nodeFromRow(selfRow)
    : triggering
      ? nodeFromDocument(triggering.document, triggering.id, triggering.timestamp)
      : { ...emptyNode(), entityId };

  const ancestors: ProcessNode[] = [];
  const seen = new Set<string>([entityId]);
  let childDocument = selfRow ? parseObject(selfRow.document) : (triggering?.document ?? {});
  let parentId = selfRow?.parentEntityId ?? text(path(childDocument, ["process", "parent", "entity_id"]));
  let ancestorsTruncated = false;
  while (parentId && !seen.has(parentId)) {
    if (ancestors.length >= ANCESTORS_LIMIT) {
      ancestorsTruncated = true;
      break;
    }
    seen.add(parentId);
    const row = await firstEventOf(parentId, reader);
    if (!row) {
      ancestors.push(parentNodeFromChild(childDocument, parentId));
      break;
    }
    ancestors.push(nodeFromRow(row));
    childDocument = parseObject(row.document);
    parentId = row.parentEntityId;
  }
  ancestors.reverse();
  if (ancestors.length === 0 && triggering) ancestors.push(...enrichmentAncestors(triggering.document));

  const childRows = await prisma().process.findMany({
    where: { parentEntityId: entityId, entityId: { not: entityId } },
    orderBy: [{ timestamp: "asc" }, { eventId: "asc" }],
    take: CHILDREN_LIMIT + 1,
    select: PROCESS_SELECT,
  });
  const shown = childRows.slice(0, CHILDREN_LIMIT);
  const childTexts = await reader.documents(shown.map((row) => row.event));
  const children = shown.map((row) => nodeFromRow(eventRowOf(row, childTexts.get(row.event.id))));
  const childrenTruncated = childRows.length > CHILDREN_LIMIT;
  return { ancestors, process, children, ancestorsTruncated, childrenTruncated };
}

const PROCESS_SELECT = { entityId: true, parentEntityId: true, event: { select: EVENT_SELECT } } as const;

/**
 * A process's earliest stored event (the Process table points at it), with
 * the parent the Process row knows: a later event may have filled it in.
 */
async function firstEventOf(entityId: string, reader: EventReader): Promise<EventRow | null> {
  const row = await prisma().process.findUnique({ where: { entityId }, select: PROCESS_SELECT });
  if (!row) return null;
  const texts = await reader.documents([row.event]);
  return eventRowOf(row, texts.get(row.event.id));
}

/** A process's row with its event's document; a node whose document cannot be read keeps what the row knows. */
function eventRowOf(
  row: { entityId: string; parentEntityId: string | null; event: EventLocation & { timestamp: Date } },
  text: string | UnreadableEventError | undefined,
): EventRow {
  return {
    id: row.event.id,
    timestamp: row.event.timestamp,
    document: typeof text === "string" ? text : "{}",
    entityId: row.entityId,
    parentEntityId: row.parentEntityId,
  };
}

function emptyNode(): ProcessNode {
  return {
    entityId: null,
    name: null,
    executable: null,
    commandLine: null,
    pid: null,
    userName: null,
    timestamp: null,
    eventId: null,
  };
}

function nodeFromRow(row: EventRow): ProcessNode {
  return {
    ...nodeFromDocument(parseObject(row.document), row.id, row.timestamp.toISOString()),
    entityId: row.entityId,
  };
}

function nodeFromDocument(document: JsonObject, eventId: number, timestamp: string): ProcessNode {
  const process = asObject(document.process) ?? {};
  return {
    entityId: text(process.entity_id),
    name: text(process.name),
    executable: text(process.executable),
    commandLine: commandLineOf(process),
    pid: typeof process.pid === "number" ? process.pid : null,
    userName: text(path(document, ["user", "name"])) ?? text(path(process, ["user", "name"])),
    timestamp,
    eventId,
  };
}

function parentNodeFromChild(childDocument: JsonObject, parentId: string): ProcessNode {
  const parent = asObject(path(childDocument, ["process", "parent"])) ?? {};
  return {
    ...emptyNode(),
    entityId: parentId,
    name: text(parent.name),
    executable: text(parent.executable),
    commandLine: commandLineOf(parent),
    pid: typeof parent.pid === "number" ? parent.pid : null,
  };
}

/** Ancestors recorded at ingest (nearest first, executables and names only), returned root first. */
function enrichmentAncestors(document: JsonObject): ProcessNode[] {
  const ancestry = asObject(path(document, ["keelwatch", "process", "ancestors"]));
  const executables = asArray(ancestry?.executable);
  const names = asArray(ancestry?.name);
  const count = Math.min(Math.max(executables.length, names.length), ANCESTORS_LIMIT);
  const nodes: ProcessNode[] = [];
  for (let index = 0; index < count; index++) {
    nodes.push({ ...emptyNode(), executable: text(executables[index]), name: text(names[index]) });
  }
  return nodes.reverse();
}

function commandLineOf(process: JsonObject): string | null {
  const line = text(process.command_line);
  if (line) return line;
  const args = asArray(process.args).filter((arg): arg is string => typeof arg === "string");
  return args.length ? args.join(" ") : null;
}

function firstEntityId(events: TriggeringEvent[]): string | null {
  const first = events[0];
  return first ? text(path(first.document, ["process", "entity_id"])) : null;
}

// ------------------------------------------------------------------ JSON helpers

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function parseJson(textValue: string): unknown {
  try {
    return JSON.parse(textValue);
  } catch {
    return undefined;
  }
}

function parseObject(textValue: string): JsonObject {
  return asObject(parseJson(textValue)) ?? {};
}

function parseArray(textValue: string): unknown[] {
  return asArray(parseJson(textValue));
}

export function parseStringList(textValue: string): string[] {
  return parseArray(textValue).filter((item): item is string => typeof item === "string");
}

function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** A nested value by keys, also accepting dotted keys as some exporters write them ("process.parent"). */
function path(root: JsonObject, keys: string[]): unknown {
  let current: unknown = root;
  for (let index = 0; index < keys.length; index++) {
    const object = asObject(current);
    if (!object) return undefined;
    const dotted = keys.slice(index).join(".");
    if (dotted in object && index < keys.length - 1) return object[dotted];
    current = object[keys[index] as string];
  }
  return current;
}
