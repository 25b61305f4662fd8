import { readSetting, writeSetting } from "../db/notification-settings";

export const PUBLIC_URL_SETTING = "publicUrl";

/**
 * The address people open Keelwatch at, for links in messages: KEELWATCH_PUBLIC_URL, else the one stored in
 * Settings, else this server's own port on localhost (right only for someone on the same machine).
 */
export async function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env.KEELWATCH_PUBLIC_URL?.trim();
  const chosen = fromEnv || (await readSetting(PUBLIC_URL_SETTING)) || `http://localhost:${env.PORT ?? 3000}`;
  return chosen.replace(/\/+$/, "");
}

export interface PublicUrlView {
  /** the URL messages link to now */
  effective: string;
  /** the stored setting (null: unset) */
  stored: string | null;
  /** true when KEELWATCH_PUBLIC_URL is set: it wins over the stored setting */
  fromEnvironment: boolean;
}

export async function publicUrlView(env: NodeJS.ProcessEnv = process.env): Promise<PublicUrlView> {
  return {
    effective: await publicBaseUrl(env),
    stored: await readSetting(PUBLIC_URL_SETTING),
    fromEnvironment: Boolean(env.KEELWATCH_PUBLIC_URL?.trim()),
  };
}

export async function storePublicUrl(url: string | null): Promise<void> {
  await writeSetting(PUBLIC_URL_SETTING, url);
}
