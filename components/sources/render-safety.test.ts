import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SourcesTable } from "./SourcesTable";
import type { Source } from "./sources-queries";

/** A token's name is chosen by an admin, error messages quote what a sensor sent: both must reach the page as text. */

const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
const window = { pushes: 3, events: 12, rejected: 1, alerts: 2 };

function source(overrides: Partial<Source> = {}): Source {
  return {
    id: "tok_1",
    name: HOSTILE,
    prefix: "kw_abc123",
    role: "ingest",
    revoked: false,
    createdAt: "2026-11-30T08:00:00.000Z",
    firstSeenAt: "2026-11-30T08:05:00.000Z",
    lastSeenAt: "2026-11-30T09:00:00.000Z",
    formats: ["falco", "<b>tetragon</b>"],
    health: "rejecting",
    usualGapSeconds: 30,
    silentForSeconds: 10,
    lastHour: window,
    lastDay: { ...window, events: 1234 },
    total: window,
    latestErrors: [{ at: "2026-11-30T09:00:00.000Z", line: 3, message: `invalid JSON near ${HOSTILE}` }],
    streamUploadId: "upl_1",
    ...overrides,
  };
}

const render = (sources: Source[], open: string | null) =>
  renderToStaticMarkup(createElement(SourcesTable, { sources, initiallyOpen: open }));

describe("SourcesTable", () => {
  it("renders hostile names, formats and error messages as text, in the row and its detail", () => {
    const html = render([source()], "tok_1");
    expect(html).not.toMatch(/<img|<script|<b>/i);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain("invalid JSON near &lt;img");
    expect(html).toContain("&lt;b&gt;tetragon&lt;/b&gt;");
  });

  it("shows a row's figures, and its detail only once opened", () => {
    const closed = render([source({ name: "falco-prod" })], null);
    expect(closed).toContain("falco-prod");
    expect(closed).toContain("1,234");
    expect(closed).toContain('aria-expanded="false"');
    expect(closed).not.toContain("Latest errors");

    const opened = render([source({ name: "falco-prod" })], "tok_1");
    expect(opened).toContain('aria-expanded="true"');
    expect(opened).toContain("Latest errors");
    expect(opened).toContain('href="/uploads/upl_1"');
  });

  it("says when a source never pushed, and has no stream to link to", () => {
    const html = render(
      [
        source({
          name: "fresh",
          health: "new",
          firstSeenAt: null,
          lastSeenAt: null,
          formats: [],
          latestErrors: [],
          streamUploadId: null,
        }),
      ],
      "tok_1",
    );
    expect(html).toContain("Never pushed");
    expect(html).toContain("never");
    expect(html).toContain("No rejected lines.");
    expect(html).not.toContain("/uploads/");
  });
});
