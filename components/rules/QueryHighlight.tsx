import type { HighlightKind, HighlightPiece } from "./eql-highlight";

/**
 * Colour per piece kind. Colour only: a bold or italic face can change glyph
 * widths in some monospace fonts, which would pull the overlay off the caret.
 * Each pair keeps at least 4.5:1 on slate-50 (light) and slate-950 (dark).
 */
const KIND_CLASS: Record<HighlightKind, string> = {
  keyword: "text-violet-700 dark:text-violet-300",
  string: "text-emerald-700 dark:text-emerald-300",
  number: "text-amber-800 dark:text-amber-300",
  field: "text-sky-800 dark:text-sky-300",
  function: "text-fuchsia-700 dark:text-fuchsia-300",
  category: "text-indigo-700 dark:text-indigo-300",
  operator: "text-slate-700 dark:text-slate-300",
  comment: "text-slate-500 dark:text-slate-400",
  plain: "",
  invalid: "text-red-700 underline decoration-dotted dark:text-red-300",
};

/** The highlighted copy of the query; every piece is rendered as text (React escapes it). */
export function QueryHighlight({ pieces }: { pieces: HighlightPiece[] }) {
  return pieces.map((piece, index) => (
    // The pieces are recomputed from the text on every change, so position is their identity.
    // biome-ignore lint/suspicious/noArrayIndexKey: pieces have no other stable identity
    <span key={index} data-kind={piece.kind} className={KIND_CLASS[piece.kind] || undefined}>
      {piece.text}
    </span>
  ));
}
