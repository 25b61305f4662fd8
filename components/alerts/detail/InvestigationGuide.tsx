"use client";

import Markdown, { type Components } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { SafeLink } from "./SafeLink";
import { Muted, Section } from "./Section";

type MdNode = { type: string; value?: string; children?: MdNode[] };

/**
 * Guides are untrusted (imported rules bring their own): HTML written in the
 * markdown is shown as the literal text it is, never parsed, and the result
 * passes rehype-sanitize's allow-list as well.
 */
function remarkHtmlAsText() {
  const walk = (node: MdNode) => {
    if (node.type === "html") node.type = "text";
    for (const child of node.children ?? []) walk(child);
  };
  return (tree: MdNode) => walk(tree);
}

const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <SafeLink href={href} className="text-sky-700 underline hover:text-sky-900 dark:text-sky-400">
      {children}
    </SafeLink>
  ),
  h1: (props) => <h3 className="mt-4 mb-2 text-base font-semibold first:mt-0" {...strip(props)} />,
  h2: (props) => <h3 className="mt-4 mb-2 text-base font-semibold first:mt-0" {...strip(props)} />,
  h3: (props) => <h4 className="mt-3 mb-1.5 text-sm font-semibold first:mt-0" {...strip(props)} />,
  h4: (props) => <h5 className="mt-3 mb-1 text-sm font-semibold first:mt-0" {...strip(props)} />,
  p: (props) => <p className="my-2 leading-relaxed" {...strip(props)} />,
  ul: (props) => <ul className="my-2 list-disc space-y-1 pl-5" {...strip(props)} />,
  ol: (props) => <ol className="my-2 list-decimal space-y-1 pl-5" {...strip(props)} />,
  code: (props) => (
    <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] dark:bg-slate-800" {...strip(props)} />
  ),
  pre: (props) => (
    <pre
      className="my-2 overflow-x-auto rounded bg-slate-100 p-3 font-mono text-xs dark:bg-slate-800 [&_code]:bg-transparent [&_code]:p-0"
      {...strip(props)}
    />
  ),
  table: (props) => (
    <div className="my-2 overflow-x-auto">
      <table className="min-w-full border-collapse text-xs" {...strip(props)} />
    </div>
  ),
  th: (props) => (
    <th
      className="border border-slate-200 bg-slate-50 px-2 py-1 text-left font-semibold dark:border-slate-700 dark:bg-slate-800"
      {...strip(props)}
    />
  ),
  td: (props) => <td className="border border-slate-200 px-2 py-1 align-top dark:border-slate-700" {...strip(props)} />,
  blockquote: (props) => (
    <blockquote
      className="my-2 border-l-4 border-slate-300 pl-3 text-slate-600 dark:border-slate-600"
      {...strip(props)}
    />
  ),
  img: ({ alt }) => <span className="italic text-slate-500">[image: {alt ?? "no description"}]</span>,
};

/** react-markdown passes its AST node along; it must not reach the DOM. */
function strip<T extends { node?: unknown }>(props: T): Omit<T, "node"> {
  const { node: _node, ...rest } = props;
  return rest;
}

export function InvestigationGuide({ guide }: { guide: string }) {
  return (
    <Section id="guide" title="Investigation guide">
      {guide.trim() === "" ? (
        <Muted>This rule has no investigation guide.</Muted>
      ) : (
        <div className="max-w-none text-slate-800 dark:text-slate-200" data-testid="investigation-guide">
          <Markdown
            remarkPlugins={[remarkGfm, remarkHtmlAsText]}
            rehypePlugins={[rehypeSanitize]}
            components={COMPONENTS}
            skipHtml={false}
          >
            {guide}
          </Markdown>
        </div>
      )}
    </Section>
  );
}
