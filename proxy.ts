import { type NextRequest, NextResponse } from "next/server";
import { pageContentSecurityPolicy } from "./lib/app/security-headers";

/**
 * Gives every page request its own CSP nonce. API routes are left out of the
 * matcher on purpose: Next buffers the body of every request that passes
 * through the proxy and cuts it at 10 MB, which would truncate event uploads.
 * Their deny-all policy is a static header in next.config.mjs instead.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico).*)" }],
};
