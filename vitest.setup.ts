// Tests never phone home.
process.env.NEXT_TELEMETRY_DISABLED = "1";
