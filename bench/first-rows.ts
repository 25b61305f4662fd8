/**
 * "First contentful alert rows": in a real Chromium (Debian's, as the
 * Playwright config uses), the time from the start of navigation to /alerts
 * until the first alert row is in the page. A MutationObserver installed
 * before any page script records performance.now() (which counts from the
 * navigation start) when the first [data-testid="alert-row"] appears; the
 * bench then waits until Playwright sees that row visible.
 *
 * In the DOM is not yet on screen: since the rows come with the server's
 * HTML they can be parsed before the style sheet lets anything paint, so
 * `painted` also records the frame that shows the row (never before the
 * first contentful paint). `loads` stays the in-the-DOM time the earlier
 * results were taken with.
 */
import { chromium } from "@playwright/test";

const ROW = '[data-testid="alert-row"]';

/** What happened during one load, in ms from navigation start: to find where the time goes. */
export interface LoadTimeline {
  /** first byte and last byte of the HTML document */
  documentFirstByte: number;
  documentEnd: number;
  domContentLoaded: number;
  /** every script, style sheet, font and fetch the page asked for */
  resources: { name: string; type: string; start: number; end: number; bytes: number }[];
  /** main-thread tasks over 50 ms (parse, hydration, rendering) */
  longTasks: { start: number; duration: number }[];
}

export interface FirstRowsResult {
  /** Milliseconds from navigation start to the first row, per page load; the first is a cold browser cache. */
  loads: number[];
  /** first-contentful-paint of the same loads, ms (null if the browser gave none). */
  firstContentfulPaint: (number | null)[];
  /** When the frame showing the first row was painted, ms; measureFirstRows always fills it. */
  painted?: number[];
  /** Per load, when asked for with `timelines: true`. */
  timelines?: LoadTimeline[];
}

declare global {
  interface Window {
    __keelwatchFirstRow?: number;
    __keelwatchFirstRowPainted?: number;
    __keelwatchLongTasks?: { start: number; duration: number }[];
  }
}

export async function measureFirstRows(options: {
  url: string;
  username: string;
  password: string;
  loads: number;
  /** also record each load's resource timings and long tasks */
  timelines?: boolean;
  /** page to open (default /alerts) */
  path?: string;
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
    // Page functions hold no named inner functions: tsx's keepNames would wrap them in a __name() the page lacks.
    await context.addInitScript((selector: string) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector(selector)) {
          window.__keelwatchFirstRow = performance.now();
          observer.disconnect();
          // The frame that shows the row: rAF callbacks run once rendering is allowed (style sheets
          // loaded) and just before that frame is painted. A timer after it would also count unrelated
          // script tasks (hydration) queued ahead of it.
          requestAnimationFrame(() => {
            window.__keelwatchFirstRowPainted = performance.now();
          });
        }
      });
      observer.observe(document, { childList: true, subtree: true });
      window.__keelwatchLongTasks = [];
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            window.__keelwatchLongTasks?.push({ start: entry.startTime, duration: entry.duration });
          }
        }).observe({ type: "longtask", buffered: true });
      } catch {
        // a browser without long-task timing still gives the row time
      }
    }, ROW);

    const result: FirstRowsResult = {
      loads: [],
      firstContentfulPaint: [],
      painted: [],
      ...(options.timelines ? { timelines: [] } : {}),
    };
    for (let i = 0; i < options.loads; i++) {
      const page = await context.newPage();
      await page.goto(options.path ?? "/alerts", { waitUntil: "commit" });
      await page.locator(ROW).first().waitFor({ state: "visible", timeout: 60_000 });
      await page.waitForFunction(() => window.__keelwatchFirstRowPainted !== undefined, undefined, { timeout: 10_000 });
      const timing = await page.evaluate(() => ({
        row: window.__keelwatchFirstRow ?? performance.now(),
        painted: window.__keelwatchFirstRowPainted ?? performance.now(),
        fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
      }));
      result.loads.push(timing.row);
      // Nothing is painted before the first contentful paint, whatever rAF said.
      result.painted?.push(Math.max(timing.painted, timing.fcp ?? 0));
      result.firstContentfulPaint.push(timing.fcp);
      if (result.timelines) {
        // Let late requests (counts, session) finish so they show in the list too.
        await page.waitForLoadState("networkidle").catch(() => undefined);
        result.timelines.push(await page.evaluate(readTimeline));
      }
      await page.close();
    }
    return result;
  } finally {
    await browser.close();
  }
}

/** Runs in the page. */
function readTimeline(): LoadTimeline {
  const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  return {
    documentFirstByte: Math.round(navigation?.responseStart ?? 0),
    documentEnd: Math.round(navigation?.responseEnd ?? 0),
    domContentLoaded: Math.round(navigation?.domContentLoadedEventStart ?? 0),
    resources: (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).map((entry) => ({
      name: entry.name.replace(location.origin, ""),
      type: entry.initiatorType,
      start: Math.round(entry.startTime),
      end: Math.round(entry.responseEnd),
      bytes: entry.encodedBodySize,
    })),
    longTasks: (window.__keelwatchLongTasks ?? []).map((task) => ({
      start: Math.round(task.start),
      duration: Math.round(task.duration),
    })),
  };
}
