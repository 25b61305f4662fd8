import type { ProcessNode, ProcessTree as Tree } from "@/lib/db/alert-detail";
import { Muted, Section } from "./Section";

/**
 * Ancestors (root first), the alert's process, and its children as an
 * indented tree. Built from stored events, so it shows only what was received.
 */
export function ProcessTree({ tree }: { tree: Tree }) {
  if (!tree.process && tree.ancestors.length === 0) {
    return (
      <Section id="process-tree" title="Process tree">
        <Muted>The triggering event names no process.</Muted>
      </Section>
    );
  }
  const depthOfProcess = tree.ancestors.length;
  return (
    <Section id="process-tree" title="Process tree">
      {tree.ancestorsTruncated ? <p className="mb-1 text-xs text-slate-500">Older ancestors not shown.</p> : null}
      <ul aria-label="Processes, root first" className="font-mono text-xs" data-testid="process-tree">
        {tree.ancestors.map((node, depth) => (
          <Row key={`a-${node.entityId ?? depth}`} node={node} depth={depth} />
        ))}
        {tree.process ? <Row node={tree.process} depth={depthOfProcess} current /> : null}
        {tree.children.map((node, index) => (
          <Row key={`c-${node.entityId ?? index}`} node={node} depth={depthOfProcess + 1} />
        ))}
      </ul>
      {tree.children.length === 0 ? (
        <p className="mt-1 text-xs text-slate-500">No child processes were received.</p>
      ) : null}
      {tree.childrenTruncated ? <p className="mt-1 text-xs text-slate-500">More children not shown.</p> : null}
    </Section>
  );
}

function Row({ node, depth, current = false }: { node: ProcessNode; depth: number; current?: boolean }) {
  const title = node.name ?? node.executable?.split("/").pop() ?? node.entityId ?? "unknown process";
  return (
    <li
      aria-current={current ? "true" : undefined}
      style={{ paddingLeft: `${depth * 1.25}rem` }}
      className={`border-l-2 py-0.5 pr-2 ${
        current ? "border-amber-500 bg-amber-50 font-semibold dark:bg-amber-950/60" : "border-transparent"
      }`}
    >
      <span className="sr-only">Level {depth + 1}: </span>
      <span aria-hidden="true" className="mr-1 text-slate-400">
        {depth === 0 ? "•" : "└─"}
      </span>
      <span>{title}</span>
      {node.pid !== null ? <span className="ml-1 text-slate-500">[{node.pid}]</span> : null}
      {current ? (
        <span className="ml-2 rounded bg-amber-200 px-1 font-sans text-[10px] font-semibold uppercase text-amber-950">
          this alert
        </span>
      ) : null}
      {node.commandLine || node.executable ? (
        <span className="ml-2 break-all font-normal text-slate-600 dark:text-slate-400">
          {node.commandLine ?? node.executable}
        </span>
      ) : null}
      {node.userName ? <span className="ml-2 text-slate-500">({node.userName})</span> : null}
    </li>
  );
}
