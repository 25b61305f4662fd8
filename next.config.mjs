// Plain JavaScript on purpose: `next start` compiles a next.config.ts with SWC,
// whose native module then stays loaded in the server (about 25 MB of its
// resident memory, bench/RESULTS.md notes of 2026-11-24). A .mjs is imported as it is.

/** Headers every response carries, pages and API alike. */
const COMMON_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * API answers are data, never documents: nothing may load or frame them. Pages get a
 * policy with a fresh nonce per request instead (proxy.ts, lib/app/security-headers.ts).
 */
const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Native SQLite bindings must be loaded by Node, not bundled; so are the PostgreSQL driver and its adapter
  // (node-postgres loads its optional native binding by name).
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      { source: "/:path*", headers: COMMON_SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
  // `npm test` type-checks the whole project once with `tsc --noEmit`; checking again
  // inside every build would only add time to `npm start`.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
