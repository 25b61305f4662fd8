import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SourcesPage } from "./SourcesPage";
import { type SourceList, sourceKeys } from "./sources-queries";

/** The page's states, rendered from what the query cache holds (as after the first fetch, or before it). */
function renderWith(list: SourceList | null): string {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  if (list) client.setQueryData(sourceKeys.list(), list);
  return renderToStaticMarkup(createElement(QueryClientProvider, { client }, createElement(SourcesPage)));
}

describe("SourcesPage", () => {
  it("explains, with no source yet, how to make an ingest token and push to POST /api/events", () => {
    const html = renderWith({ items: [], silent: 0 });
    expect(html).toContain("No sources yet");
    expect(html).toContain('href="/settings?tab=tokens"');
    expect(html).toContain("Settings → API tokens");
    expect(html).toContain("--role ingest");
    expect(html).toMatch(/curl -sS -H &quot;Authorization: Bearer \$TOKEN&quot;.*--data-binary @events.ndjson/s);
    expect(html).toContain("http://localhost:3000/api/events&quot;");
    expect(html).not.toContain("filename");
  });

  it("shows a loading placeholder before the list arrives", () => {
    const html = renderWith(null);
    expect(html).toContain('aria-label="Loading sources"');
    expect(html).not.toContain("No sources yet");
  });
});
