import { z } from "zod";
import {
  AuditQuerySchema,
  ChangePasswordSchema,
  CreateTokenSchema,
  CreateUserSchema,
  UpdateUserSchema,
} from "@/lib/auth/admin-schemas";
import type { Permission } from "@/lib/auth/roles";
import { AlertGroupQuerySchema, AlertListQuerySchema, BulkAlertActionSchema } from "@/lib/db/alert-list";
import { AlertPatchRequestSchema } from "@/lib/db/alert-updates";
import { DashboardQuerySchema } from "@/lib/db/dashboard";
import { SavedHuntInputSchema } from "@/lib/db/hunts";
import { RulePatchSchema } from "@/lib/db/rule-admin";
import { TimelineFilterSchema, TimelineQuerySchema } from "@/lib/db/timeline";
import {
  ExceptionItemPatchSchema,
  ExceptionListInputSchema,
  ExceptionListPatchSchema,
  ValueListInputSchema,
} from "@/lib/exceptions";
import { ExportFormatSchema } from "@/lib/export";
import { AlertExportQuerySchema } from "@/lib/export/alerts";
import { HuntExportQuerySchema } from "@/lib/hunt/export";
import { HuntRequestSchema, HuntScopeSchema } from "@/lib/hunt/request";
import { UploadQuerySchema } from "@/lib/ingest/upload-request";
import { ChannelInputSchema, ChannelPatchSchema } from "@/lib/notify/channel-schemas";
import {
  DeliveryQuerySchema,
  NotificationRuleInputSchema,
  NotificationRulePatchSchema,
  PublicUrlSettingSchema,
} from "@/lib/notify/rule-schemas";
import { RuleSchema } from "@/lib/rules/schema";
import { LoadSampleSchema } from "@/lib/samples/api-schemas";
import { SessionQuerySchema } from "@/lib/session/schema";
import {
  ExceptionCreateSchema,
  ExceptionFilterSchema,
  ExceptionPreviewSchema,
  LoginSchema,
  RuleListQuerySchema,
  RulePreviewSchema,
  UploadListQuerySchema,
  ValueListNameQuerySchema,
} from "./route-schemas";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** How a caller gets in: nobody needs to, or a session/token whose role holds the permission. */
export type OperationAuth = { kind: "public" } | { kind: "permission"; permission: Permission };

export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI path, `{id}` for a dynamic segment (Next's `[id]`). */
  path: string;
  tag: string;
  summary: string;
  auth: OperationAuth;
  /** Query parameters: a zod object (or an intersection of objects) whose keys are the parameter names. */
  query?: z.ZodType;
  /** JSON request body. */
  body?: z.ZodType;
  /** A body that is not JSON (an events file, NDJSON, a rule file): its media types and what it holds. */
  rawBody?: { contentTypes: string[]; description: string };
  /** Success status and what it answers. */
  response: { status: number; description: string; contentType?: string };
  /** Non-obvious error statuses beyond 400/401/403 that every guarded route may answer. */
  errors?: Record<number, string>;
}

const needs = (permission: Permission): OperationAuth => ({ kind: "permission", permission });
const PUBLIC: OperationAuth = { kind: "public" };
const json = (status: number, description: string) => ({ status, description });

/** What every write may answer when the database refuses it (lib/app/storage-error.ts); nothing was changed. */
const STORAGE_ERRORS: Record<number, string> = {
  503: "the database is busy (Retry-After), read-only or failing to write; nothing was changed",
  507: "the disk holding the database is full",
};

/*
 * Routes whose handler checks a query parameter by hand, or takes any object and
 * validates it deeper in lib, are described here by the schema lib applies, so
 * the document says what is really accepted.
 */
const RuleDeleteQuery = z.object({
  force: z
    .enum(["true", "false"])
    .optional()
    .describe("true also deletes the rule's alerts; without it a rule with alerts is refused (409)"),
});
const RuleExportQuery = z.object({
  id: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe("repeat to export only these rules"),
});
const FilenameQuery = z.object({
  filename: z.string().optional().describe("the file's name; its extension tells the format when the text does not"),
});
const ExceptionPatchBody = ExceptionItemPatchSchema.extend({
  closeMatching: z.boolean().optional().describe("also close the open alerts the item now covers"),
});
// createRule gives a rule without an id a new one before validating it as a RuleSchema.
const RuleCreateBody = RuleSchema.extend({
  id: RuleSchema.shape.id.optional().describe("a new UUID when left out"),
});

/** Every HTTP operation under app/api; lib/api/openapi.test.ts checks this list against the route files. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  // --- system
  {
    method: "GET",
    path: "/api/health",
    tag: "system",
    summary: "Liveness and database check: {status, db, version}",
    auth: PUBLIC,
    response: json(
      200,
      "{status: ok, db: ok, version}; a read-only database: {status: degraded, db: read_only, version}",
    ),
    errors: { 503: "the database is unavailable (status: degraded)" },
  },
  {
    method: "GET",
    path: "/api/openapi.json",
    tag: "system",
    summary: "This OpenAPI document",
    auth: needs("alerts:read"),
    response: json(200, "OpenAPI 3.1 document"),
  },
  // --- auth
  {
    method: "POST",
    path: "/api/auth/login",
    tag: "auth",
    summary: "Sign in with username and password; sets the session cookie",
    auth: PUBLIC,
    body: LoginSchema,
    response: json(200, "{ok: true} and a Set-Cookie header"),
    errors: {
      ...STORAGE_ERRORS,
      401: "wrong username or password",
      429: "account locked after failed sign-ins (Retry-After)",
    },
  },
  {
    method: "POST",
    path: "/api/auth/logout",
    tag: "auth",
    summary: "End the current session",
    auth: needs("alerts:read"),
    response: json(200, "{ok: true}"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "GET",
    path: "/api/auth/me",
    tag: "auth",
    summary: "Who is calling: {principal}",
    auth: needs("alerts:read"),
    response: json(200, "{principal: {kind, id, username|name, role}}"),
  },
  {
    method: "POST",
    path: "/api/account/password",
    tag: "auth",
    summary: "Change your own password (people only, not tokens)",
    auth: needs("alerts:read"),
    body: ChangePasswordSchema,
    response: json(200, "the outcome"),
    errors: STORAGE_ERRORS,
  },
  // --- events and uploads
  {
    method: "POST",
    path: "/api/events",
    tag: "events",
    summary:
      "Ingest events: NDJSON, a JSON array, or gzip of either; detection runs on them. With `filename` (or a person's session) the body is an upload; with an API token and no `filename` it is a sensor's push, stored in the token's stream with the other pushes in flight (group commit) and answered once stored",
    auth: needs("events:ingest"),
    query: UploadQuerySchema,
    rawBody: {
      contentTypes: ["application/x-ndjson", "application/json", "application/gzip"],
      description: "The events, streamed. Gzip is recognised by Content-Encoding: gzip or by its magic bytes.",
    },
    response: json(
      200,
      "upload report {uploadId, events: {received, accepted, rejected}, errors: [{line, message}], alerts}",
    ),
    errors: {
      207: "some lines were rejected (the report lists them)",
      413: "the upload is larger than KEELWATCH_MAX_UPLOAD_BYTES, or a push larger than KEELWATCH_MAX_PUSH_BYTES (8 MiB)",
      503: "the database is busy (Retry-After), read-only or failing; batches stored so far stay, send the file again",
      507: "the disk holding the database is full",
    },
  },
  {
    method: "GET",
    path: "/api/uploads",
    tag: "events",
    summary: "Uploads, newest first: {items, nextCursor}",
    auth: needs("uploads:read"),
    query: UploadListQuerySchema,
    response: json(200, "{items, nextCursor}"),
  },
  {
    method: "GET",
    path: "/api/settings/field-mapping",
    tag: "rules",
    summary:
      "The stored Elasticsearch field mapping that detection, rule previews and hunts compare fields by (over the built-in ECS types): {mapping, fields, updatedAt}",
    auth: needs("rules:read"),
    response: json(200, "{mapping, fields, updatedAt}"),
  },
  {
    method: "PUT",
    path: "/api/settings/field-mapping",
    tag: "rules",
    summary:
      'Store an Elasticsearch `_mapping` JSON (`{"mapping": {...}}`) or remove it (`{"mapping": null}`); admins only, audited',
    auth: needs("settings:manage"),
    response: json(200, "{mapping, fields, updatedAt}"),
    errors: { 400: "not a mapping: the message names the property" },
  },
  {
    method: "GET",
    path: "/api/sources",
    tag: "events",
    summary:
      "Sensor sources (ingest tokens and every token that pushed): formats, counts for the last hour, day and in all, last seen, latest errors and health (ok, silent, rejecting, new, revoked): {items, silent}",
    auth: needs("uploads:read"),
    response: json(200, "{items: [source], silent}"),
  },
  {
    method: "GET",
    path: "/api/uploads/{id}",
    tag: "events",
    summary: "One upload's report",
    auth: needs("uploads:read"),
    response: json(200, "the upload report"),
    errors: { 404: "no such upload" },
  },
  {
    method: "GET",
    path: "/api/samples/{name}",
    tag: "events",
    summary: "Download a sample events file (ecs-cloud-defend, falco, tetragon or datadog .ndjson)",
    auth: needs("uploads:read"),
    response: { status: 200, description: "the sample file", contentType: "application/x-ndjson" },
    errors: { 404: "no sample by that name" },
  },
  {
    method: "GET",
    path: "/api/samples",
    tag: "events",
    summary: "Whether the sample incident is loaded, with its uploads and counts",
    auth: needs("alerts:read"),
    response: json(200, "{loaded, uploads, …}"),
  },
  {
    method: "DELETE",
    path: "/api/samples",
    tag: "events",
    summary: "Remove every sample upload with its events and alerts, in one action",
    auth: needs("alerts:write"),
    response: json(200, "{removed}"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "POST",
    path: "/api/samples/load",
    tag: "events",
    summary: "Load the sample incident through the normal pipeline, marked as sample data; loading twice adds nothing",
    auth: needs("alerts:write"),
    body: LoadSampleSchema,
    response: json(200, "{format, alreadyLoaded, uploadId, message, report}"),
    errors: STORAGE_ERRORS,
  },
  // --- alerts
  {
    method: "GET",
    path: "/api/alerts",
    tag: "alerts",
    summary: "List alerts with filters, sorting and cursor paging",
    auth: needs("alerts:read"),
    query: AlertListQuerySchema,
    response: json(200, "{items, nextCursor}"),
  },
  {
    method: "GET",
    path: "/api/alerts/export",
    tag: "alerts",
    summary: "Download every alert matching the list's filters (not only a page) as CSV or NDJSON, streamed",
    auth: needs("alerts:read"),
    query: AlertExportQuerySchema,
    response: {
      status: 200,
      description:
        "an attachment: CSV with a header row (RFC 4180; a text cell starting with = + - @, tab or CR gets a leading '), or with format=ndjson one alert per line (application/x-ndjson), each as GET /api/alerts lists it",
      contentType: "text/csv",
    },
  },
  {
    method: "GET",
    path: "/api/alerts/groups",
    tag: "alerts",
    summary: "Count alerts matching the filters, grouped by rule, container or host",
    auth: needs("alerts:read"),
    query: AlertGroupQuerySchema,
    response: json(200, "{total, by, groups: [{key, label, count}]}"),
  },
  {
    method: "GET",
    path: "/api/alerts/{id}",
    tag: "alerts",
    summary: "One alert with its events, rule, guide and triage state; ETag carries the version",
    auth: needs("alerts:read"),
    response: json(200, "the alert detail"),
    errors: { 404: "no such alert" },
  },
  {
    method: "GET",
    path: "/api/alerts/{id}/session",
    tag: "alerts",
    summary:
      "The alert's session: every process under its entry leader (or its ancestry's root) in display order, a page at a time, with the session's alerts",
    auth: needs("alerts:read"),
    query: SessionQuerySchema,
    response: json(
      200,
      "{alertId, grouping, rootEntityId, total, truncated, maxProcesses, alertRow, alerts, outline?, matches?, rows, nextCursor}",
    ),
    errors: { 404: "no such alert" },
  },
  {
    method: "PATCH",
    path: "/api/alerts/{id}",
    tag: "alerts",
    summary: 'Change status, assignee, triage steps or add a note; send the version read as If-Match: "N" or `version`',
    auth: needs("alerts:write"),
    body: AlertPatchRequestSchema,
    response: json(200, "the updated alert detail"),
    errors: {
      ...STORAGE_ERRORS,
      404: "no such alert",
      409: "someone changed the alert since you read it (details.currentVersion)",
    },
  },
  {
    method: "POST",
    path: "/api/alerts/bulk",
    tag: "alerts",
    summary: "Acknowledge, close, assign or reopen many alerts at once, all or nothing",
    auth: needs("alerts:write"),
    body: BulkAlertActionSchema,
    response: json(200, "{updated, unchanged, missing} (alert ids)"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "GET",
    path: "/api/dashboard",
    tag: "alerts",
    summary: "Dashboard figures: alerts over time by severity, top rules, images and containers, response times",
    auth: needs("alerts:read"),
    query: DashboardQuerySchema,
    response: json(
      200,
      "the dashboard figures; overTime holds every bucket of the span in order, empty ones included, its size (bucket: hour, 6h, day, week, month, quarter or year, in UTC) chosen for at most 60 buckets; for range=all the span runs from the first alert to the last",
    ),
  },
  {
    method: "GET",
    path: "/api/system/storage",
    tag: "alerts",
    summary:
      "Stored events: disk used, events kept, the oldest event, event blocks, the retention policy and the block it takes next",
    auth: needs("alerts:read"),
    response: json(
      200,
      "{diskBytes, eventsKept, oldestEvent, blocks, blockBytes, rawBytes, eventsNotInBlocks, retention}",
    ),
  },
  // --- hunt and timeline
  {
    method: "GET",
    path: "/api/alerts/{id}/timeline",
    tag: "hunt",
    summary:
      "The events of the alert's container, host or session in a window around it: a page of events, a histogram of the window and its categories and actions",
    auth: needs("alerts:read"),
    query: TimelineQuerySchema,
    response: json(
      200,
      "{alert, scope, scopeValue, from, to, total, histogramCapped, bucketMs, histogram: [{start, count}], facets: {categories, actions}, items: [{id, timestamp, category, action, document}], nextCursor}",
    ),
    errors: { 404: "no such alert", 400: "invalid parameters, or the alert has no such scope (details name scope)" },
  },
  {
    method: "GET",
    path: "/api/alerts/{id}/timeline/export",
    tag: "hunt",
    summary: "Download every event of an alert's timeline (its scope, window and filters) as CSV or NDJSON, streamed",
    auth: needs("alerts:read"),
    query: TimelineFilterSchema.extend({ format: ExportFormatSchema }),
    response: {
      status: 200,
      description:
        "an attachment: CSV with a header row (event_id, @timestamp and common ECS fields; formulas defused), or with format=ndjson one stored event document per line",
      contentType: "text/csv",
    },
    errors: { 404: "no such alert" },
  },
  {
    method: "POST",
    path: "/api/hunt",
    tag: "hunt",
    summary:
      "Run an EQL query (rule semantics) over stored events in a time range (default the last 24 h) and a container, host or upload scope; one page of results with the count and histogram of all, or with count: false the page alone as soon as it is full",
    auth: needs("alerts:read"),
    body: HuntRequestSchema,
    response: json(
      200,
      "{scope, kind, eventsScanned, matches, counted, elapsedMs, rows: [{kind, timestamp, joinKeys?, events: [{id, event}]}], nextOffset, bucketMs, histogram, stopped: null | {reason: time|events|held|cancelled, message}, unreadable}; a hunt cut at a limit answers 200 with the results found so far and stopped.message. counted is false only for count: false when the scan ended at the full page: matches then counts the results found so far and histogram is []",
    ),
    errors: { 400: "invalid body, or the query is not valid EQL (details carry line and column)" },
  },
  {
    method: "POST",
    path: "/api/hunt/summary",
    tag: "hunt",
    summary:
      "Count every result of a hunt over its whole range and place them on a histogram, returning none: the count that follows a page asked for with count: false",
    auth: needs("alerts:read"),
    body: HuntScopeSchema,
    response: json(
      200,
      "{scope, kind, eventsScanned, matches, elapsedMs, bucketMs, histogram: [{start, count}], stopped: null | {reason, message}, unreadable}; the same limits as the hunt, a count cut at one answers 200 with stopped.message",
    ),
    errors: { 400: "invalid body, or the query is not valid EQL (details carry line and column)" },
  },
  {
    method: "GET",
    path: "/api/hunt/export",
    tag: "hunt",
    summary: "Download every result of a hunt as CSV (one row per event) or NDJSON (one result per line), streamed",
    auth: needs("alerts:read"),
    query: HuntExportQuerySchema,
    response: {
      status: 200,
      description:
        "an attachment; NDJSON lines are the event, or {sequence|sample: [events], join_keys} as `keelwatch eql` prints them. A hunt cut at a limit ends the download in error",
      contentType: "text/csv",
    },
    errors: { 400: "invalid parameters, or the query is not valid EQL (details carry line and column)" },
  },
  {
    method: "GET",
    path: "/api/hunt/saved",
    tag: "hunt",
    summary: "The signed-in person's saved hunts",
    auth: needs("alerts:read"),
    response: json(200, "{items: [{id, name, query, scope, updatedAt}]}"),
    errors: { 403: "an API token: saved hunts belong to a person" },
  },
  {
    method: "POST",
    path: "/api/hunt/saved",
    tag: "hunt",
    summary: "Save a hunt under a name; the same name replaces it",
    auth: needs("alerts:read"),
    body: SavedHuntInputSchema,
    response: json(201, "{item}"),
    errors: { ...STORAGE_ERRORS, 403: "an API token: saved hunts belong to a person" },
  },
  {
    method: "DELETE",
    path: "/api/hunt/saved/{id}",
    tag: "hunt",
    summary: "Delete one of the signed-in person's saved hunts",
    auth: needs("alerts:read"),
    response: json(204, "deleted"),
    errors: { ...STORAGE_ERRORS, 404: "no such saved hunt of yours" },
  },
  {
    method: "GET",
    path: "/api/hunt/history",
    tag: "hunt",
    summary: "The last queries the signed-in person ran in Hunt, newest first",
    auth: needs("alerts:read"),
    response: json(200, "{items: [{query, scope, ranAt}]}"),
    errors: { 403: "an API token: hunt history belongs to a person" },
  },
  // --- rules
  {
    method: "GET",
    path: "/api/rules",
    tag: "rules",
    summary: "List rules, filtered",
    auth: needs("rules:read"),
    query: RuleListQuerySchema,
    response: json(200, "{items}"),
  },
  {
    method: "POST",
    path: "/api/rules",
    tag: "rules",
    summary: "Create a custom rule (its EQL query must compile)",
    auth: needs("rules:write"),
    body: RuleCreateBody,
    response: json(201, "{rule}"),
    errors: { ...STORAGE_ERRORS, 409: "a rule with this id exists" },
  },
  {
    method: "GET",
    path: "/api/rules/{id}",
    tag: "rules",
    summary: "One rule with its guide, versions and alert counts",
    auth: needs("rules:read"),
    response: json(200, "the rule detail"),
    errors: { 404: "no such rule" },
  },
  {
    method: "PATCH",
    path: "/api/rules/{id}",
    tag: "rules",
    summary: "Change a rule; a content change keeps the previous version. `baseVersion` guards against lost edits",
    auth: needs("rules:write"),
    body: RulePatchSchema,
    response: json(200, "{rule}"),
    errors: { ...STORAGE_ERRORS, 404: "no such rule", 409: "the rule changed since baseVersion" },
  },
  {
    method: "DELETE",
    path: "/api/rules/{id}",
    tag: "rules",
    summary: "Delete a custom rule",
    auth: needs("rules:write"),
    query: RuleDeleteQuery,
    response: json(200, "what was deleted"),
    errors: {
      ...STORAGE_ERRORS,
      403: "the role lacks rules:write, or the rule is built in (switch it off instead)",
      404: "no such rule",
      409: "the rule has alerts and force was not set",
    },
  },
  {
    method: "GET",
    path: "/api/rules/export",
    tag: "rules",
    summary: "Rules as a Kibana-compatible NDJSON download",
    auth: needs("rules:read"),
    query: RuleExportQuery,
    response: { status: 200, description: "one rule per line", contentType: "application/x-ndjson" },
  },
  {
    method: "POST",
    path: "/api/rules/import",
    tag: "rules",
    summary: "Import an Elastic detection-rules TOML file or a Kibana rules NDJSON export",
    auth: needs("rules:write"),
    query: FilenameQuery,
    rawBody: {
      contentTypes: ["multipart/form-data", "application/toml", "application/x-ndjson", "text/plain"],
      description: 'The rule file, as multipart field "file" or as the whole body (at most 8 MiB).',
    },
    response: json(200, "one result per rule, refused ones included"),
    errors: { ...STORAGE_ERRORS, 413: "the file is larger than 8 MiB" },
  },
  {
    method: "POST",
    path: "/api/rules/preview",
    tag: "rules",
    summary: "Run an EQL query over an upload or a time range of stored events without raising alerts",
    auth: needs("rules:read"),
    body: RulePreviewSchema,
    response: json(200, "{scope, matches…}"),
    errors: { 400: "invalid body, or the query is not valid EQL (details carry line and column)" },
  },
  // --- exceptions
  {
    method: "GET",
    path: "/api/exceptions",
    tag: "exceptions",
    summary: "List exception items",
    auth: needs("exceptions:read"),
    query: ExceptionFilterSchema,
    response: json(200, "{items}"),
  },
  {
    method: "POST",
    path: "/api/exceptions",
    tag: "exceptions",
    summary: "Create an exception item; closeMatching also closes the open alerts it covers",
    auth: needs("exceptions:write"),
    body: ExceptionCreateSchema,
    response: json(201, "{item, closedAlerts}"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "GET",
    path: "/api/exceptions/{id}",
    tag: "exceptions",
    summary: "One exception item",
    auth: needs("exceptions:read"),
    response: json(200, "{item}"),
    errors: { 404: "no such exception" },
  },
  {
    method: "PATCH",
    path: "/api/exceptions/{id}",
    tag: "exceptions",
    summary: "Change an exception item, add a comment, or close the alerts it covers",
    auth: needs("exceptions:write"),
    body: ExceptionPatchBody,
    response: json(200, "{item, closedAlerts}"),
    errors: { ...STORAGE_ERRORS, 404: "no such exception" },
  },
  {
    method: "DELETE",
    path: "/api/exceptions/{id}",
    tag: "exceptions",
    summary: "Delete an exception item",
    auth: needs("exceptions:write"),
    response: json(204, "deleted"),
    errors: { ...STORAGE_ERRORS, 404: "no such exception" },
  },
  {
    method: "POST",
    path: "/api/exceptions/preview",
    tag: "exceptions",
    summary: "Impact of an exception before saving: open alerts it would close, recent events it would suppress",
    auth: needs("exceptions:read"),
    body: ExceptionPreviewSchema,
    response: json(200, "the preview"),
  },
  {
    method: "GET",
    path: "/api/exceptions/export",
    tag: "exceptions",
    summary: "Every exception list and item as NDJSON",
    auth: needs("exceptions:read"),
    response: { status: 200, description: "one list or item per line", contentType: "application/x-ndjson" },
  },
  {
    method: "POST",
    path: "/api/exceptions/import",
    tag: "exceptions",
    summary: "Import exception lists and items from NDJSON (the export format)",
    auth: needs("exceptions:write"),
    rawBody: { contentTypes: ["application/x-ndjson"], description: "The export file (at most 5 MiB)." },
    response: json(200, "{listsCreated, listsUpdated, itemsCreated, itemsUnchanged, errors: [{line, message}]}"),
    errors: { ...STORAGE_ERRORS, 413: "the file is larger than 5 MiB" },
  },
  {
    method: "GET",
    path: "/api/exception-lists",
    tag: "exceptions",
    summary: "Shared exception lists",
    auth: needs("exceptions:read"),
    response: json(200, "{lists}"),
  },
  {
    method: "POST",
    path: "/api/exception-lists",
    tag: "exceptions",
    summary: "Create a shared exception list, optionally attached to rules",
    auth: needs("exceptions:write"),
    body: ExceptionListInputSchema,
    response: json(201, "{list}"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "GET",
    path: "/api/exception-lists/{id}",
    tag: "exceptions",
    summary: "One shared exception list",
    auth: needs("exceptions:read"),
    response: json(200, "{list}"),
    errors: { 404: "no such list" },
  },
  {
    method: "PATCH",
    path: "/api/exception-lists/{id}",
    tag: "exceptions",
    summary: "Rename a list or replace the rules it is attached to",
    auth: needs("exceptions:write"),
    body: ExceptionListPatchSchema,
    response: json(200, "{list}"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "DELETE",
    path: "/api/exception-lists/{id}",
    tag: "exceptions",
    summary: "Delete a shared list and its items",
    auth: needs("exceptions:write"),
    response: json(204, "deleted"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "GET",
    path: "/api/value-lists",
    tag: "exceptions",
    summary: "Value lists (for the is in list / is not in list operators)",
    auth: needs("exceptions:read"),
    response: json(200, "{lists: [{id, name, valueCount, createdAt}]}"),
  },
  {
    method: "POST",
    path: "/api/value-lists",
    tag: "exceptions",
    summary: "Upload a value list: JSON {name, text}, or the file as text/plain with ?name=",
    auth: needs("exceptions:write"),
    query: ValueListNameQuerySchema,
    body: ValueListInputSchema,
    rawBody: { contentTypes: ["text/plain"], description: "One value per line, blank lines skipped (at most 8 MiB)." },
    response: json(201, "{list}"),
    errors: { ...STORAGE_ERRORS, 413: "the file is larger than 8 MiB" },
  },
  // --- administration
  {
    method: "GET",
    path: "/api/users",
    tag: "administration",
    summary: "People who can sign in",
    auth: needs("users:manage"),
    response: json(200, "{users}"),
  },
  {
    method: "POST",
    path: "/api/users",
    tag: "administration",
    summary: "Add a person",
    auth: needs("users:manage"),
    body: CreateUserSchema,
    response: json(201, "{user}"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "PATCH",
    path: "/api/users/{id}",
    tag: "administration",
    summary: "Change a person's role, disable them or reset their password",
    auth: needs("users:manage"),
    body: UpdateUserSchema,
    response: json(200, "the updated user"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "GET",
    path: "/api/tokens",
    tag: "administration",
    summary: "API tokens (never their secrets)",
    auth: needs("tokens:manage"),
    response: json(200, "{tokens}"),
  },
  {
    method: "POST",
    path: "/api/tokens",
    tag: "administration",
    summary: "Create an API token; the secret is in this response only",
    auth: needs("tokens:manage"),
    body: CreateTokenSchema,
    response: json(201, "{token} including its secret"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "DELETE",
    path: "/api/tokens/{id}",
    tag: "administration",
    summary: "Revoke an API token",
    auth: needs("tokens:manage"),
    response: json(200, "{id, revokedAt}"),
    errors: { ...STORAGE_ERRORS, 404: "no such token", 409: "already revoked" },
  },
  {
    method: "GET",
    path: "/api/audit",
    tag: "administration",
    summary: "Audit log, newest first",
    auth: needs("audit:read"),
    query: AuditQuerySchema,
    response: json(200, "a page of audit entries and the actors/actions seen"),
  },
  {
    method: "GET",
    path: "/api/notifications/channels",
    tag: "notifications",
    summary: "Notification channels with their state (ok, failing, disabled) and last error; secrets only as set/unset",
    auth: needs("notifications:manage"),
    response: json(200, "{channels}"),
  },
  {
    method: "POST",
    path: "/api/notifications/channels",
    tag: "notifications",
    summary: "Create a webhook, Slack-compatible, Teams workflow or SMTP e-mail channel; secrets are stored encrypted",
    auth: needs("notifications:manage"),
    body: ChannelInputSchema,
    response: json(201, "{channel} without its secrets"),
    errors: { ...STORAGE_ERRORS, 409: "a channel with this name exists" },
  },
  {
    method: "GET",
    path: "/api/notifications/channels/{id}",
    tag: "notifications",
    summary: "One notification channel, without its secrets",
    auth: needs("notifications:manage"),
    response: json(200, "{channel}"),
    errors: { 404: "no such channel" },
  },
  {
    method: "PATCH",
    path: "/api/notifications/channels/{id}",
    tag: "notifications",
    summary: "Change a channel; a secret left out keeps its stored value, null clears an optional one",
    auth: needs("notifications:manage"),
    body: ChannelPatchSchema,
    response: json(200, "{channel}"),
    errors: { ...STORAGE_ERRORS, 404: "no such channel", 409: "a channel with this name exists" },
  },
  {
    method: "DELETE",
    path: "/api/notifications/channels/{id}",
    tag: "notifications",
    summary: "Delete a channel with its queued and logged deliveries",
    auth: needs("notifications:manage"),
    response: json(200, "{id}"),
    errors: { ...STORAGE_ERRORS, 404: "no such channel" },
  },
  {
    method: "POST",
    path: "/api/notifications/channels/{id}/test",
    tag: "notifications",
    summary: "Send a test message through the channel now (id or name); a failed send is answered 200 with ok false",
    auth: needs("notifications:manage"),
    response: json(200, "{deliveryId, ok, statusCode, error}"),
    errors: { ...STORAGE_ERRORS, 404: "no such channel" },
  },
  {
    method: "GET",
    path: "/api/notifications/rules",
    tag: "notifications",
    summary: "Notification rules: which alerts go to which channels, and their throttling",
    auth: needs("notifications:manage"),
    response: json(200, "{rules}"),
  },
  {
    method: "POST",
    path: "/api/notifications/rules",
    tag: "notifications",
    summary: "Create a notification rule",
    auth: needs("notifications:manage"),
    body: NotificationRuleInputSchema,
    response: json(201, "{rule}"),
    errors: { ...STORAGE_ERRORS, 409: "a rule with this name exists" },
  },
  {
    method: "PATCH",
    path: "/api/notifications/rules/{id}",
    tag: "notifications",
    summary: "Change a notification rule; fields left out keep their value",
    auth: needs("notifications:manage"),
    body: NotificationRulePatchSchema,
    response: json(200, "{rule}"),
    errors: { ...STORAGE_ERRORS, 404: "no such rule", 409: "a rule with this name exists" },
  },
  {
    method: "DELETE",
    path: "/api/notifications/rules/{id}",
    tag: "notifications",
    summary: "Delete a notification rule",
    auth: needs("notifications:manage"),
    response: json(200, "{id}"),
    errors: { ...STORAGE_ERRORS, 404: "no such rule" },
  },
  {
    method: "GET",
    path: "/api/notifications/settings",
    tag: "notifications",
    summary: "The public base URL messages link to, and where it comes from",
    auth: needs("notifications:manage"),
    response: json(200, "{publicUrl: {effective, stored, fromEnvironment}}"),
  },
  {
    method: "PUT",
    path: "/api/notifications/settings",
    tag: "notifications",
    summary: "Store the public base URL (KEELWATCH_PUBLIC_URL, when set, wins)",
    auth: needs("notifications:manage"),
    body: PublicUrlSettingSchema,
    response: json(200, "{publicUrl}"),
    errors: STORAGE_ERRORS,
  },
  {
    method: "GET",
    path: "/api/notifications/status",
    tag: "notifications",
    summary: "Channels failing to deliver, with their last error (for the dashboard)",
    auth: needs("alerts:read"),
    response: json(200, "{failing}"),
  },
  {
    method: "GET",
    path: "/api/notifications/deliveries",
    tag: "notifications",
    summary: "An alert's notification log: each delivery, its state and attempts",
    auth: needs("alerts:read"),
    query: DeliveryQuerySchema,
    response: json(200, "{deliveries}"),
  },
];
