import { describe, expect, it } from "vitest";
import { AncestryTracker, type ProcessInfo } from "./ancestry";

function exec(id: string, parent: string | null, executable: string, extra: Record<string, unknown> = {}) {
  return {
    "@timestamp": "2026-11-23T06:00:00Z",
    process: {
      entity_id: id,
      executable,
      name: executable.split("/").pop(),
      ...(parent ? { parent: { entity_id: parent } } : {}),
      ...extra,
    },
  } as Record<string, unknown>;
}

const noStorage = async () => new Map<string, ProcessInfo>();

function ancestors(event: Record<string, unknown>) {
  return (event.keelwatch as { process: { ancestors: { executable: string[]; name: string[] } } } | undefined)?.process
    .ancestors;
}

describe("AncestryTracker", () => {
  it("lists ancestors nearest first from events of the same batch", async () => {
    const events = [
      exec("init", null, "/sbin/tini"),
      exec("shell", "init", "/bin/sh"),
      exec("dropper", "shell", "/tmp/.x/run"),
      exec("nc", "dropper", "/usr/bin/nc"),
    ];
    await new AncestryTracker(noStorage).enrich(events);
    expect(ancestors(events[3]!)).toEqual({
      executable: ["/tmp/.x/run", "/bin/sh", "/sbin/tini"],
      name: ["run", "sh", "tini"],
    });
    expect(ancestors(events[0]!)).toBeUndefined();
  });

  it("remembers processes across batches of one upload", async () => {
    const tracker = new AncestryTracker(noStorage);
    await tracker.enrich([exec("p1", null, "/tmp/stage")]);
    const later = exec("p2", "p1", "/usr/bin/dig");
    await tracker.enrich([later]);
    expect(ancestors(later)?.executable).toEqual(["/tmp/stage"]);
  });

  it("looks up ancestors it has not seen among stored events, level by level", async () => {
    const stored = new Map<string, ProcessInfo>([
      ["a", { entityId: "a", parentEntityId: "b", executable: "/var/tmp/loader", name: "loader" }],
      ["b", { entityId: "b", parentEntityId: null, executable: "/usr/sbin/cron", name: "cron" }],
    ]);
    const asked: string[][] = [];
    const tracker = new AncestryTracker(async (ids) => {
      asked.push(ids);
      return new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id)!] as const] : [])));
    });
    const event = exec("c", "a", "/usr/bin/nslookup");
    await tracker.enrich([event]);
    expect(ancestors(event)?.executable).toEqual(["/var/tmp/loader", "/usr/sbin/cron"]);
    expect(asked).toEqual([["a"], ["b"]]);
  });

  it("asks storage once for a process it does not have, and again for one it found and has forgotten", async () => {
    const stored = new Map<string, ProcessInfo>([
      ["kept", { entityId: "kept", parentEntityId: null, executable: "/usr/sbin/cron", name: "cron" }],
    ]);
    const asked: string[] = [];
    const tracker = new AncestryTracker(async (ids) => {
      asked.push(...ids);
      return new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id)!] as const] : [])));
    }, 8);
    await tracker.enrich([exec("a", "outside", "/bin/sh"), exec("b", "kept", "/bin/sh")]);
    expect(asked.sort()).toEqual(["kept", "outside"]);
    // "outside" was not stored: not asked again. "kept" is still remembered: not asked either.
    await tracker.enrich([exec("c", "outside", "/bin/sh"), exec("d", "kept", "/bin/sh")]);
    expect(asked).toHaveLength(2);
    // Enough other processes for the tracker to forget "kept"; then it asks storage for it again.
    await tracker.enrich(["e", "f", "g", "h", "i", "j", "k", "l"].map((id) => exec(id, null, "/bin/true")));
    const late = exec("m", "kept", "/usr/bin/nc");
    await tracker.enrich([late]);
    expect(asked.filter((id) => id === "kept")).toHaveLength(2);
    expect(ancestors(late)?.executable).toEqual(["/usr/sbin/cron"]);
  });

  it("forgets that storage had no such process after a while: a parent stored later by another upload is found", async () => {
    const stored = new Map<string, ProcessInfo>();
    const asked: string[] = [];
    let now = 1_000_000;
    const tracker = new AncestryTracker(
      async (ids) => {
        asked.push(...ids);
        return new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id)!] as const] : [])));
      },
      1_000,
      { storageAnswerTtlMs: 5_000, now: () => now },
    );
    const first = exec("child-1", "loader", "/usr/bin/curl");
    await tracker.enrich([first]);
    expect(asked).toEqual(["loader"]);
    expect(ancestors(first)).toBeUndefined();
    // Another upload (or instance) stores the parent meanwhile.
    stored.set("loader", { entityId: "loader", parentEntityId: null, executable: "/tmp/loader", name: "loader" });
    // Within the answer's time, chunks after chunks do not ask again: the common case stays one query.
    now += 4_999;
    const soon = exec("child-2", "loader", "/usr/bin/curl");
    await tracker.enrich([soon]);
    expect(asked).toEqual(["loader"]);
    expect(ancestors(soon)).toBeUndefined();
    // Once it is older, the next chunk asks again and finds it.
    now += 1;
    const later = exec("child-3", "loader", "/usr/bin/nc");
    await tracker.enrich([later]);
    expect(asked).toEqual(["loader", "loader"]);
    expect(ancestors(later)?.executable).toEqual(["/tmp/loader"]);
  });

  it("asks again, after a while, about a root storage had without a parent: its parent may be stored since", async () => {
    const stored = new Map<string, ProcessInfo>([
      ["shell", { entityId: "shell", parentEntityId: null, executable: "/bin/sh", name: "sh" }],
    ]);
    let now = 0;
    const tracker = new AncestryTracker(
      async (ids) => new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id)!] as const] : []))),
      1_000,
      { storageAnswerTtlMs: 5_000, now: () => now },
    );
    const first = exec("tool-1", "shell", "/usr/bin/nc");
    await tracker.enrich([first]);
    expect(ancestors(first)?.executable).toEqual(["/bin/sh"]);
    // The shell's fork event, stored later, fills in its parent (the Process row's trigger does that).
    stored.set("shell", { entityId: "shell", parentEntityId: "dropper", executable: "/bin/sh", name: "sh" });
    stored.set("dropper", { entityId: "dropper", parentEntityId: null, executable: "/tmp/dropper", name: "dropper" });
    now += 5_000;
    const later = exec("tool-2", "shell", "/usr/bin/nc");
    await tracker.enrich([later]);
    expect(ancestors(later)?.executable).toEqual(["/bin/sh", "/tmp/dropper"]);
  });

  it("uses the parent fields of the event itself when nothing else is known", async () => {
    const event = exec("x", "parent-1", "/usr/bin/nmap");
    (event.process as Record<string, unknown>).parent = {
      entity_id: "parent-1",
      executable: "/tmp/scan.sh",
      name: "scan.sh",
    };
    await new AncestryTracker(noStorage).enrich([event]);
    expect(ancestors(event)).toEqual({ executable: ["/tmp/scan.sh"], name: ["scan.sh"] });
  });

  it("stops on a cycle instead of looping", async () => {
    const events = [exec("a", "b", "/bin/a"), exec("b", "a", "/bin/b")];
    await new AncestryTracker(noStorage).enrich(events);
    expect(ancestors(events[0]!)?.executable).toEqual(["/bin/b", "/bin/a"]);
  });

  it("keeps ancestors a source format already supplied", async () => {
    const event = exec("z", "y", "/usr/bin/nc", {});
    event.keelwatch = { process: { ancestors: { executable: ["/tmp/from-falco"], name: ["from-falco"] } } };
    await new AncestryTracker(noStorage).enrich([event]);
    expect(ancestors(event)?.executable).toEqual(["/tmp/from-falco"]);
  });

  it("keeps a parent its memory bound would drop while the batch naming it is enriched", async () => {
    // Generations of 10 processes. The second batch looks at the parent (in the older generation),
    // then writes enough to start a new generation before it annotates the child.
    const tracker = new AncestryTracker(noStorage, 20);
    const filler = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, index) => exec(`${prefix}${index}`, null, `/bin/${prefix}${index}`));
    await tracker.enrich([exec("root", null, "/usr/sbin/nginx"), ...filler("x", 9)]);
    const child = exec("shell", "root", "/bin/bash");
    await tracker.enrich([child, ...filler("y", 12)]);
    expect(ancestors(child)).toEqual({ executable: ["/usr/sbin/nginx"], name: ["nginx"] });
  });

  it("forgets the oldest processes beyond its memory bound", async () => {
    const tracker = new AncestryTracker(noStorage, 2);
    await tracker.enrich([exec("p1", null, "/tmp/one"), exec("p2", null, "/bin/two"), exec("p3", null, "/bin/three")]);
    const child = exec("c", "p1", "/usr/bin/nc");
    await tracker.enrich([child]);
    expect(ancestors(child)).toBeUndefined();
  });
});
