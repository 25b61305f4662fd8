import { prisma } from "../../db/client";
import { databaseUrl } from "../../db/config";
import { hotSetting } from "../../db/dialect/sqlite/hot-reads";
import { loadActiveExceptions } from "../../db/exceptions";
import { storedFieldTypes } from "../../db/field-mapping";
import { listEnabledDetectionRules } from "../../db/rules";
import type { DetectionRule } from "../../detection/detector";
import type { FieldTypes } from "../../eql";
import { type CompiledExceptions, compileExceptions } from "../../exceptions";

/**
 * The rules, exceptions and field types a group of sensor pushes runs with, read once and
 * kept while they cannot have changed. Reading them (two Prisma queries and
 * more) cost about 8 ms a push in a scratch measurement, several times the
 * push itself. What they depend on moves the `detection.version` counter
 * (triggers on every rule, exception and value-list table, and on the field
 * mapping setting: migrations 20261206160000_detection_version and
 * 20261206170000_field_mapping_version), so one small read says whether the kept
 * copy still holds; the first expiry of an exception ends it too. Another
 * instance's edits move the same counter, so instances never disagree for
 * longer than one push takes.
 */
export interface DetectionContext {
  rules: DetectionRule[];
  exceptions: CompiledExceptions;
  /** one object for as long as the copy is kept, so compiled queries are shared (compile-cache.ts) */
  fieldTypes: FieldTypes;
}

/** Even unchanged, the kept copy is read again after this long (a safety net, not the mechanism). */
const MAX_AGE_MS = 60_000;

interface Kept extends DetectionContext {
  database: string;
  version: string;
  loadedAt: number;
  /** when the first loaded exception expires: from then on, the copy would apply it too long */
  validUntil: number;
}

let kept: Kept | null = null;

export async function detectionContext(now = Date.now()): Promise<DetectionContext> {
  const database = databaseUrl();
  const version = await detectionVersion();
  if (
    kept &&
    kept.database === database &&
    kept.version === version &&
    now < kept.validUntil &&
    now - kept.loadedAt < MAX_AGE_MS
  ) {
    return kept;
  }
  const rules = await listEnabledDetectionRules();
  const active = await loadActiveExceptions(
    rules.map((rule) => rule.id),
    new Date(now),
  );
  const firstExpiry = Math.min(
    Number.POSITIVE_INFINITY,
    ...active.items.map((item) => item.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY),
  );
  const fieldTypes = await storedFieldTypes();
  kept = {
    database,
    version,
    loadedAt: now,
    validUntil: firstExpiry,
    rules,
    exceptions: compileExceptions(active),
    fieldTypes,
  };
  return kept;
}

/** The counter's value ("" where the row is missing: then nothing is kept, as `version` never repeats). */
async function detectionVersion(): Promise<string> {
  // Read once a group: through the prepared statement of hot-reads.ts where it can (Prisma cost more than the check saved).
  const hot = hotSetting("detection.version");
  if (hot !== undefined) return hot ?? `missing:${Math.random()}`;
  const row = await prisma().appSetting.findUnique({ where: { key: "detection.version" }, select: { value: true } });
  return row?.value ?? `missing:${Math.random()}`;
}

/** Forgets the kept copy (tests). */
export function forgetDetectionContext(): void {
  kept = null;
}
