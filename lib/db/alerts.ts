/** An alert about to be stored (lib/db/batch-writer stores it): the rule as it was, the event(s), and context columns for filtering. */
export interface AlertDraft {
  ruleId: string;
  ruleName: string;
  severity: string;
  severityRank: number;
  riskScore: number;
  dedupKey: string;
  timestamp: Date;
  containerId: string | null;
  containerName: string | null;
  imageName: string | null;
  hostName: string | null;
  processName: string | null;
  processExecutable: string | null;
  commandLine: string | null;
  userName: string | null;
  entityId: string | null;
  entryLeaderEntityId: string | null;
  sessionLeaderEntityId: string | null;
  /** the triggering events (stored before the alert), in sequence order: content hash and @timestamp identify one */
  events: { contentHash: string; timestamp: Date }[];
  /**
   * The rule suppresses by fields: `key` names the group (rule + values); a match whose group has an alert open
   * (its timestamp within `endsAt`, or, without a duration, from the same upload) adds to that alert's count.
   */
  suppression?: { key: string; endsAt: Date | null } | undefined;
}
