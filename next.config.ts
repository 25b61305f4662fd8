import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from "./lib/app/security-headers";

const nextConfig: NextConfig = {
  // Native SQLite bindings must be loaded by Node, not bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      { source: "/:path*", headers: [...COMMON_SECURITY_HEADERS] },
      // API answers are data, never documents: nothing may load or frame them (pages get theirs from proxy.ts).
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
  // `npm test` type-checks the whole project once with `tsc --noEmit`; checking again
  // inside every build would only add time to `npm start`.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
