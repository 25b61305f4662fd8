import { testChannel } from "../../notify/test-channel";
import type { CliCommand } from "../io";
import { UsageError } from "../io";
import { migrateFirst } from "../migrate-first";

const help = `Usage: keelwatch notify test CHANNEL

Sends a test message through a notification channel, named by its name or id, and
says whether the receiver took it. The attempt is logged like any delivery (it counts
toward the channel's failing state in Settings) and is not retried.
Exits 0 when delivered, 1 when the send failed or no such channel exists.
The database is DATABASE_URL (default file:./data/keelwatch.db); channel secrets are
opened with KEELWATCH_SECRET_KEY or the key file beside the database, as the server does.`;

export const notifyCommand: CliCommand = {
  summary: "send a test notification through a channel",
  help,
  async run(argv, io) {
    const [action, channel, ...extra] = argv;
    if (action !== "test") {
      throw new UsageError(action === undefined ? "missing action: test" : `unknown action "${action}"`);
    }
    if (!channel) throw new UsageError("name the channel to test (its name or id)");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    await migrateFirst(io);
    const result = await testChannel(channel);
    if (!result.found) {
      io.stderr.write(`keelwatch notify: no notification channel named or with id "${channel}"\n`);
      return 1;
    }
    const { outcome } = result;
    if (outcome.ok) {
      io.stdout.write(
        `Delivered a test message through "${result.channel.name}"` +
          `${outcome.statusCode ? ` (${outcome.statusCode})` : ""}, key ${result.deliveryId}\n`,
      );
      return 0;
    }
    io.stderr.write(`keelwatch notify: the test through "${result.channel.name}" failed: ${outcome.error}\n`);
    return 1;
  },
};
