/**
 * `?field` against a complete mapping: Elasticsearch resolves an optional
 * field that no index maps to the null literal before planning, so
 * `?x == null` is true for every event, `?x == ?y` is `null == null` (true),
 * and `sample by ?x` joins every event under a null key. A field the mapping
 * names, or any field when no complete mapping is known, is read as usual.
 */
import type { Expr, Query, QueryTerm } from "./ast";
import type { FieldTypes } from "./field-types";

function rewriteExpr(expr: Expr, unmapped: (path: readonly string[]) => boolean): Expr {
  switch (expr.kind) {
    case "literal":
      return expr;
    case "field":
      return expr.optional && unmapped(expr.path)
        ? { kind: "literal", value: null, type: "null", span: expr.span }
        : expr;
    case "not":
    case "negate":
      return { ...expr, operand: rewriteExpr(expr.operand, unmapped) };
    case "and":
    case "or":
    case "compare":
    case "arith":
      return { ...expr, left: rewriteExpr(expr.left, unmapped), right: rewriteExpr(expr.right, unmapped) };
    case "in":
      return {
        ...expr,
        value: rewriteExpr(expr.value, unmapped),
        list: expr.list.map((item) => rewriteExpr(item, unmapped)),
      };
    case "match":
      return {
        ...expr,
        value: rewriteExpr(expr.value, unmapped),
        patterns: expr.patterns.map((item) => rewriteExpr(item, unmapped)),
      };
    case "call":
      return { ...expr, args: expr.args.map((arg) => rewriteExpr(arg, unmapped)) };
  }
}

/** The query with every optional field the mapping does not name replaced by `null`. */
export function nullUnmappedOptionalFields(query: Query, types: FieldTypes | undefined): Query {
  if (!types?.complete) return query;
  const unmapped = (path: readonly string[]) => !types.fields.has(path.join("."));
  const expr = (node: Expr) => rewriteExpr(node, unmapped);
  const term = (node: QueryTerm): QueryTerm => ({
    ...node,
    filter: { ...node.filter, condition: expr(node.filter.condition) },
    by: node.by.map(expr),
  });
  switch (query.kind) {
    case "event":
      return { ...query, filter: { ...query.filter, condition: expr(query.filter.condition) } };
    case "sequence":
      return {
        ...query,
        by: query.by.map(expr),
        terms: query.terms.map(term),
        until: query.until ? term(query.until) : null,
      };
    case "sample":
      return { ...query, by: query.by.map(expr), terms: query.terms.map(term) };
  }
}
