/**
 * "First contentful alert rows": in a real Chromium (Debian's, as the
 * Playwright config uses), the time from the start of navigation to /alerts
 * until the first alert row is in the page. A MutationObserver installed
 * before any page script records performance.now() (which counts from the
 * navigation start) when the first [data-testid="alert-row"] appears; the
 * bench then waits until Playwright sees that row visible.
 */
import { chromium } from "@playwright/test";

const ROW = '[data-testid="alert-row"]';

export interface FirstRowsResult {
  /** Milliseconds from navigation start to the first row, per page load; the first is a cold browser cache. */
  loads: number[];
  /** first-contentful-paint of the same loads, ms (null if the browser gave none). */
  firstContentfulPaint: (number | null)[];
}

declare global {
  interface Window {
    __keelwatchFirstRow?: number;
  }
}

export async function measureFirstRows(options: {
  url: string;
  username: string;
  password: string;
  loads: number;
}): Promise<FirstRowsResult> {
  const browser = await chromium.launch({
    executablePath: process.env.KEELWATCH_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext({ baseURL: options.url, viewport: { width: 1440, height: 900 } });
    // The context's request client shares its cookie jar, so the session cookie reaches the pages.
    const login = await context.request.post("/api/auth/login", {
      data: { username: options.username, password: options.password },
    });
    if (!login.ok()) throw new Error(`bench: sign-in for the browser failed: ${login.status()} ${await login.text()}`);
    await context.addInitScript((selector: string) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector(selector)) {
          window.__keelwatchFirstRow = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    }, ROW);

    const result: FirstRowsResult = { loads: [], firstContentfulPaint: [] };
    for (let i = 0; i < options.loads; i++) {
      const page = await context.newPage();
      await page.goto("/alerts", { waitUntil: "commit" });
      await page.locator(ROW).first().waitFor({ state: "visible", timeout: 60_000 });
      const timing = await page.evaluate(() => ({
        row: window.__keelwatchFirstRow ?? performance.now(),
        fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
      }));
      result.loads.push(timing.row);
      result.firstContentfulPaint.push(timing.fcp);
      await page.close();
    }
    return result;
  } finally {
    await browser.close();
  }
}
