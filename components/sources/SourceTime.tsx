import { formatRelative, formatTime } from "@/components/alerts/detail/format";

/** A moment as "12 min ago", the exact UTC time on hover (and for screen readers in dateTime). */
export function SourceTime({ iso, never = "never" }: { iso: string | null; never?: string }) {
  if (!iso) return <span className="text-slate-500">{never}</span>;
  return (
    <time dateTime={iso} title={formatTime(iso)} className="whitespace-nowrap">
      {formatRelative(iso)}
    </time>
  );
}
