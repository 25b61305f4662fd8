import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { TriggeringEvent } from "@/lib/db/alert-detail";
import { EventFields } from "./EventFields";
import { InvestigationGuide } from "./InvestigationGuide";
import { SensorAlert } from "./SensorAlert";

/** Guides and event data are untrusted: what reaches the page must be text, not markup. */

const builtinDir = path.resolve(import.meta.dirname, "..", "..", "..", "lib", "rules", "builtin");
const builtinGuides = fs
  .readdirSync(builtinDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => path.join(builtinDir, entry.name, "guide.md"))
  .filter((file) => fs.existsSync(file));

const guideHtml = (guide: string) => renderToStaticMarkup(createElement(InvestigationGuide, { guide }));

describe("InvestigationGuide", () => {
  it.each(builtinGuides)("renders the built-in guide %s with headings and no markup from the text", (file) => {
    const html = guideHtml(fs.readFileSync(file, "utf8"));
    expect(html).toMatch(/<h3[^>]*>[^<]+<\/h3>/);
    expect(html).not.toMatch(/<script|<iframe|<img|on\w+="/i);
  });

  it("shows HTML written in the guide as text and drops dangerous links", () => {
    const html = guideHtml(
      [
        "## Heading",
        "",
        "<script>alert(1)</script>",
        "",
        '<img src=x onerror="alert(2)">',
        "",
        '<iframe src="https://evil.example"></iframe>',
        "",
        "[click](javascript:alert(3)) and [data](data:text/html;base64,PHNjcmlwdD4=) and [ok](https://example.com/a)",
        "",
        "![pixel](https://tracker.example/p.gif)",
      ].join("\n"),
    );
    expect(html).not.toMatch(/<script|<iframe|<img/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).toMatch(/<a href="https:\/\/example.com\/a" target="_blank" rel="noopener noreferrer nofollow"/);
    expect(html).toContain("[image: pixel]");
  });

  it("says so when the rule has no guide", () => {
    expect(guideHtml("  \n")).toContain("This rule has no investigation guide.");
  });
});

describe("EventFields", () => {
  it("renders hostile event values escaped, with the command line highlighted", () => {
    const event: TriggeringEvent = {
      id: 1,
      position: 0,
      timestamp: "2026-11-23T06:00:00.000Z",
      document: {
        process: { command_line: "sh -c '<img src=x onerror=alert(1)>'", args: ["<b>", "x"] },
        labels: { note: "<script>alert(1)</script>" },
      },
    };
    const html = renderToStaticMarkup(createElement(EventFields, { events: [event] }));
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain('data-testid="command-line"');
    expect(html).toContain("sh -c &#x27;&lt;img src=x onerror=alert(1)&gt;&#x27;");
  });
});

describe("SensorAlert", () => {
  const falcoEvent = (message: string): TriggeringEvent =>
    ({
      id: 1,
      timestamp: "2026-11-30T09:21:14.402Z",
      document: {
        event: { kind: "alert", module: "falco" },
        rule: { name: "Terminal shell in container" },
        falco: { priority: "Notice" },
        message,
      },
    }) as unknown as TriggeringEvent;

  it("shows the sensor's rule and output, with markup in the output as text", () => {
    const html = renderToStaticMarkup(
      createElement(SensorAlert, { events: [falcoEvent('shell <script>alert(1)</script> <img onerror="x">')] }),
    );
    expect(html).toContain("Sensor alert");
    expect(html).toContain("Terminal shell in container");
    expect(html).toContain("Notice");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toMatch(/<script|<img/i);
  });

  it("renders nothing for an ordinary event", () => {
    const ordinary = { id: 2, timestamp: "2026-11-30T09:21:14.402Z", document: { event: { kind: "event" } } };
    expect(renderToStaticMarkup(createElement(SensorAlert, { events: [ordinary as unknown as TriggeringEvent] }))).toBe(
      "",
    );
  });
});
