import type { AlertDetail } from "@/lib/db/alert-detail";
import { CopyButton } from "./CopyButton";
import { fieldText } from "./flatten";
import { Section } from "./Section";

type Item = { label: string; value: string | null; mono?: boolean };

/** Where it happened: container, image, orchestrator and host, from the alert and its first event. */
export function ContextPanel({ alert }: { alert: AlertDetail }) {
  const document = alert.events[0]?.document ?? {};
  const get = (field: string) => fieldText(document, field);
  const image = alert.context.imageName ?? get("container.image.name");
  const tag = get("container.image.tag");
  const groups: { title: string; items: Item[] }[] = [
    {
      title: "Container",
      items: [
        { label: "Name", value: alert.context.containerName ?? get("container.name") },
        { label: "ID", value: alert.context.containerId ?? get("container.id"), mono: true },
        { label: "Image", value: image ? (tag ? `${image}:${tag}` : image) : null, mono: true },
        { label: "Runtime", value: get("container.runtime") },
      ],
    },
    {
      title: "Orchestrator",
      items: [
        { label: "Cluster", value: get("orchestrator.cluster.name") },
        { label: "Namespace", value: get("orchestrator.namespace") },
        {
          label: "Resource",
          value: joinDefined(get("orchestrator.resource.type"), get("orchestrator.resource.name"), "/"),
        },
        { label: "Type", value: get("orchestrator.type") },
      ],
    },
    {
      title: "Host",
      items: [
        { label: "Name", value: alert.context.hostName ?? get("host.name") },
        { label: "OS", value: joinDefined(get("host.os.name"), get("host.os.version"), " ") },
        { label: "IP", value: get("host.ip"), mono: true },
        { label: "Architecture", value: get("host.architecture") },
      ],
    },
    {
      title: "Process",
      items: [
        { label: "Name", value: alert.context.processName ?? get("process.name") },
        { label: "Executable", value: alert.context.processExecutable ?? get("process.executable"), mono: true },
        { label: "PID", value: get("process.pid"), mono: true },
        { label: "User", value: alert.context.userName ?? get("user.name") },
        { label: "Entity ID", value: alert.context.entityId, mono: true },
      ],
    },
  ];
  return (
    <Section id="context" title="Context">
      <div className="space-y-3">
        {groups.map((group) => {
          const known = group.items.filter((item) => item.value);
          return (
            <div key={group.title}>
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                {group.title}
              </h3>
              {known.length === 0 ? (
                <p className="text-xs text-slate-500">Not reported by the event source.</p>
              ) : (
                <dl className="grid grid-cols-[6.5rem_1fr] gap-x-2 gap-y-0.5 text-xs">
                  {known.map((item) => (
                    <div key={item.label} className="contents">
                      <dt className="text-slate-500 dark:text-slate-400">{item.label}</dt>
                      <dd className={`flex min-w-0 items-start justify-between gap-1 ${item.mono ? "font-mono" : ""}`}>
                        <span className="min-w-0 break-all">{item.value}</span>
                        <CopyButton
                          value={item.value ?? ""}
                          label={`Copy ${group.title.toLowerCase()} ${item.label}`}
                        />
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </div>
          );
        })}
      </div>
    </Section>
  );
}

function joinDefined(a: string | null, b: string | null, separator: string): string | null {
  if (a && b) return `${a}${separator}${b}`;
  return a ?? b;
}
