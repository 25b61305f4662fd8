"use client";

import Markdown, { type Components } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { SafeLink } from "./SafeLink";

type MdNode = { type: string; children?: MdNode[] };

/**
 * Guides come with imported rules, so they are untrusted: raw HTML in the
 * markdown is shown as the text it is, and what remains passes
 * rehype-sanitize's allow-list.
 */
function remarkHtmlAsText() {
  const walk = (node: MdNode) => {
    if (node.type === "html") node.type = "text";
    for (const child of node.children ?? []) walk(child);
  };
  return (tree: MdNode) => walk(tree);
}

/** react-markdown hands its AST node to components; it must not reach the DOM. */
function withoutNode<T extends { node?: unknown }>(props: T): Omit<T, "node"> {
  const { node: _node, ...rest } = props;
  return rest;
}

const COMPONENTS: Components = {
  a: ({ href, children }) => <SafeLink href={href}>{children}</SafeLink>,
  h1: (props) => <h3 className="mt-4 mb-2 text-base font-semibold first:mt-0" {...withoutNode(props)} />,
  h2: (props) => <h3 className="mt-4 mb-2 text-base font-semibold first:mt-0" {...withoutNode(props)} />,
  h3: (props) => <h4 className="mt-3 mb-1.5 text-sm font-semibold first:mt-0" {...withoutNode(props)} />,
  h4: (props) => <h5 className="mt-3 mb-1 text-sm font-semibold first:mt-0" {...withoutNode(props)} />,
  p: (props) => <p className="my-2 leading-relaxed" {...withoutNode(props)} />,
  ul: (props) => <ul className="my-2 list-disc space-y-1 pl-5" {...withoutNode(props)} />,
  ol: (props) => <ol className="my-2 list-decimal space-y-1 pl-5" {...withoutNode(props)} />,
  code: (props) => (
    <code
      className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] dark:bg-slate-800"
      {...withoutNode(props)}
    />
  ),
  pre: (props) => (
    <pre
      className="my-2 overflow-x-auto rounded bg-slate-100 p-3 font-mono text-xs dark:bg-slate-800 [&_code]:bg-transparent [&_code]:p-0"
      {...withoutNode(props)}
    />
  ),
  table: (props) => (
    <div className="my-2 overflow-x-auto">
      <table className="min-w-full border-collapse text-xs" {...withoutNode(props)} />
    </div>
  ),
  th: (props) => (
    <th
      className="border border-slate-200 px-2 py-1 text-left font-semibold dark:border-slate-700"
      {...withoutNode(props)}
    />
  ),
  td: (props) => (
    <td className="border border-slate-200 px-2 py-1 align-top dark:border-slate-700" {...withoutNode(props)} />
  ),
  img: ({ alt }) => <span className="italic text-slate-500">[image: {alt || "no description"}]</span>,
};

export function RuleGuide({ markdown }: { markdown: string }) {
  if (markdown.trim() === "") return <p className="text-sm text-slate-500">This rule has no investigation guide.</p>;
  return (
    <div className="text-sm text-slate-800 dark:text-slate-200" data-testid="rule-guide">
      <Markdown remarkPlugins={[remarkGfm, remarkHtmlAsText]} rehypePlugins={[rehypeSanitize]} components={COMPONENTS}>
        {markdown}
      </Markdown>
    </div>
  );
}
