import packageJson from "../../package.json" with { type: "json" };

/** The running Keelwatch version, as package.json states it. */
export const KEELWATCH_VERSION: string = packageJson.version;
