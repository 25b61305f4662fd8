/**
 * Where an alert fired: the container, image, host, process, command line and user of the event that completed it,
 * copied into the alert's own columns so that lists filter and group on them and messages name them without
 * reading the event.
 */
export interface AlertContext {
  containerId: string | null;
  containerName: string | null;
  imageName: string | null;
  hostName: string | null;
  processName: string | null;
  processExecutable: string | null;
  commandLine: string | null;
  userName: string | null;
}

/**
 * The completing event's process and the leaders of its session, by entity id (alert columns too): what places an
 * alert in its session for the session view and the related alerts.
 */
export interface AlertProcessIds {
  entityId: string | null;
  entryLeaderEntityId: string | null;
  sessionLeaderEntityId: string | null;
}

/** The context columns of an alert row (which has many more), as their own value. */
export function alertContextOf(row: AlertContext): AlertContext {
  return {
    containerId: row.containerId,
    containerName: row.containerName,
    imageName: row.imageName,
    hostName: row.hostName,
    processName: row.processName,
    processExecutable: row.processExecutable,
    commandLine: row.commandLine,
    userName: row.userName,
  };
}

/** The process id columns of an alert row, as their own value. */
export function alertProcessIdsOf(row: AlertProcessIds): AlertProcessIds {
  return {
    entityId: row.entityId,
    entryLeaderEntityId: row.entryLeaderEntityId,
    sessionLeaderEntityId: row.sessionLeaderEntityId,
  };
}

/** An alert about to be stored (lib/db/batch-writer stores it): the rule as it was, the event(s), and context columns for filtering. */
export interface AlertDraft extends AlertContext, AlertProcessIds {
  ruleId: string;
  ruleName: string;
  severity: string;
  severityRank: number;
  riskScore: number;
  dedupKey: string;
  timestamp: Date;
  /** the triggering events (stored before the alert), in sequence order: content hash and @timestamp identify one */
  events: { contentHash: string; timestamp: Date }[];
  /**
   * The rule suppresses by fields: `key` names the group (rule + values); a match whose group has an alert open
   * (its timestamp within `endsAt`, or, without a duration, from the same upload) adds to that alert's count.
   */
  suppression?: { key: string; endsAt: Date | null } | undefined;
}
