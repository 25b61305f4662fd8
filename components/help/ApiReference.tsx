import type { OpenApiDocument, OpenApiOperation, OpenApiParameter } from "@/lib/api/openapi";
import { type FieldRow, fieldRows, notesText, typeText } from "@/lib/api/schema-text";

/**
 * The OpenAPI document as a readable page: endpoints grouped by tag, each with
 * its permission, parameters and request body fields. Everything is rendered
 * as text; the full JSON Schema of a body sits in a collapsed block.
 */
export function ApiReference({ document }: { document: OpenApiDocument }) {
  const operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );
  return (
    <div className="space-y-8">
      <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">
        Send an API token as <code>Authorization: Bearer &lt;token&gt;</code> (Settings → API tokens), or call from this
        browser with your session. The machine-readable document is at{" "}
        <a className="text-sky-700 underline dark:text-sky-400" href="/api/openapi.json">
          /api/openapi.json
        </a>{" "}
        (OpenAPI {document.openapi}, version {document.info.version}). Errors answer{" "}
        <code>{'{"error": {"code", "message", "details"?}}'}</code>.
      </p>
      <nav aria-label="API sections" className="flex flex-wrap gap-3 text-sm">
        {document.tags.map((tag) => (
          <a key={tag.name} href={`#tag-${tag.name}`} className="text-sky-700 underline dark:text-sky-400">
            {tag.name}
          </a>
        ))}
      </nav>
      {document.tags.map((tag) => (
        <section key={tag.name} id={`tag-${tag.name}`} aria-labelledby={`tag-${tag.name}-title`}>
          <h2 id={`tag-${tag.name}-title`} className="mb-3 text-lg font-semibold capitalize">
            {tag.name}
          </h2>
          <div className="space-y-3">
            {operations
              .filter((entry) => entry.operation.tags.includes(tag.name))
              .map((entry) => (
                <OperationCard key={`${entry.method} ${entry.path}`} {...entry} />
              ))}
          </div>
        </section>
      ))}
    </div>
  );
}

function OperationCard({ method, path, operation }: { method: string; path: string; operation: OpenApiOperation }) {
  const permission = operation["x-keelwatch-permission"];
  const jsonBody = operation.requestBody?.content["application/json"]?.schema;
  const otherBodies = Object.entries(operation.requestBody?.content ?? {}).filter(
    ([type]) => type !== "application/json",
  );
  return (
    <article
      id={operation.operationId}
      className="rounded-md border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h3 className="font-mono text-sm">
        <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 font-semibold dark:bg-slate-800">{method}</span>
        {path}
      </h3>
      <p className="mt-1">{operation.summary}</p>
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        {permission ? `Needs ${permission}` : "No sign-in needed"} · answers{" "}
        {Object.entries(operation.responses)
          .map(([status, response]) => `${status} ${response.description}`)
          .join("; ")}
      </p>
      {operation.parameters.length > 0 ? (
        <FieldTable caption="Parameters" rows={operation.parameters.map(parameterRow)} />
      ) : null}
      {otherBodies.map(([type, body]) => (
        <p key={type} className="mt-2">
          Body <code>{type}</code>: {body.description ?? body.schema.description?.toString() ?? ""}
        </p>
      ))}
      {jsonBody ? (
        <>
          <FieldTable caption="JSON body" rows={fieldRows(jsonBody)} />
          <details className="mt-2">
            <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-400">JSON Schema</summary>
            <pre className="mt-1 max-h-96 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-950">
              {JSON.stringify(jsonBody, null, 2)}
            </pre>
          </details>
        </>
      ) : null}
    </article>
  );
}

function parameterRow(parameter: OpenApiParameter): FieldRow & { in: string } {
  const notes = [notesText(parameter.schema), parameter.description].filter(Boolean).join(", ");
  return {
    name: parameter.name,
    in: parameter.in,
    type: typeText(parameter.schema),
    required: parameter.required,
    notes,
  };
}

function FieldTable({ caption, rows }: { caption: string; rows: (FieldRow & { in?: string })[] }) {
  if (rows.length === 0) return null;
  return (
    <table className="mt-2 w-full text-left text-xs">
      <caption className="mb-1 text-left font-medium">{caption}</caption>
      <thead className="text-slate-500">
        <tr>
          <th className="pr-3 font-normal">name</th>
          <th className="pr-3 font-normal">type</th>
          <th className="pr-3 font-normal">required</th>
          <th className="font-normal">notes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={`${row.in ?? "body"}-${row.name}`}
            className="border-t border-slate-100 align-top dark:border-slate-800"
          >
            <td className="py-1 pr-3 font-mono">
              {row.name}
              {row.in === "path" ? " (path)" : ""}
            </td>
            <td className="py-1 pr-3 font-mono">{row.type}</td>
            <td className="py-1 pr-3">{row.required ? "yes" : "no"}</td>
            <td className="py-1">{row.notes}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
