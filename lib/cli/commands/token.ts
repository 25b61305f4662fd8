import { issueApiToken } from "../../auth/api-tokens";
import { RoleSchema } from "../../auth/roles";
import { appendAudit } from "../../db/audit";
import type { CliCommand } from "../io";
import { UsageError } from "../io";
import { migrateFirst } from "../migrate-first";
import { parseOptions } from "../options";

const help = `Usage: keelwatch token create --name NAME --role admin|analyst|viewer|ingest [--expires-in-days N]

Creates an API token for scripts and prints it once on stdout (only its hash is stored).
Send it as \`Authorization: Bearer <token>\`; an ingest token may only POST /api/events.
The database is DATABASE_URL (default file:./data/keelwatch.db).`;

export const tokenCommand: CliCommand = {
  summary: "create API tokens for scripts",
  help,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action !== "create") {
      throw new UsageError(action === undefined ? "missing action: create" : `unknown action "${action}"`);
    }
    const values = parseOptions(rest, {
      name: { type: "string" },
      role: { type: "string" },
      "expires-in-days": { type: "string" },
    });
    const name = values.name?.trim();
    if (!name) throw new UsageError("--name is required");
    const role = RoleSchema.safeParse(values.role);
    if (!role.success) throw new UsageError(`--role must be one of ${RoleSchema.options.join(", ")}`);
    let expiresAt: Date | null = null;
    if (values["expires-in-days"] !== undefined) {
      const days = Number(values["expires-in-days"]);
      if (!Number.isInteger(days) || days < 1) throw new UsageError("--expires-in-days must be a whole number ≥ 1");
      expiresAt = new Date(Date.now() + days * 86_400_000);
    }
    await migrateFirst(io);
    const issued = await issueApiToken({ name, role: role.data, expiresAt, createdById: null });
    await appendAudit({
      actorLabel: "cli",
      action: "token.create",
      targetType: "api_token",
      targetId: issued.id,
      details: { name, role: role.data, expiresAt: expiresAt?.toISOString() ?? null },
    });
    io.stdout.write(`${issued.token}\n`);
    io.stderr.write(
      `Created ${role.data} token "${name}"${expiresAt ? `, expires ${expiresAt.toISOString()}` : ""}. ` +
        "It is shown only this once.\n",
    );
    return 0;
  },
};
