import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { type SourceList, sourceKeys } from "@/components/sources/sources-queries";
import { SilentSources } from "./SilentSources";

/** The dashboard's notice, rendered from a list already in the query cache (as after the first fetch). */
function renderWith(list: SourceList | null): string {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  if (list) client.setQueryData(sourceKeys.list(), list);
  return renderToStaticMarkup(createElement(QueryClientProvider, { client }, createElement(SilentSources)));
}

describe("SilentSources", () => {
  it("names how many sources are silent and links to the Sources page", () => {
    const html = renderWith({ items: [], silent: 2 });
    expect(html).toContain('href="/sources"');
    expect(html).toContain("2 sources silent");
    expect(renderWith({ items: [], silent: 1 })).toContain("1 source silent");
  });

  it("shows nothing when no source is silent, or before the count is known", () => {
    expect(renderWith({ items: [], silent: 0 })).toBe("");
    expect(renderWith(null)).toBe("");
  });
});
