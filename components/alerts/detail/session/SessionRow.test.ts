import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { SessionAlert, SessionProcess } from "@/lib/session/session";
import { SessionRow } from "./SessionRow";

/** Every string of a session row comes from the monitored machine: the attacker chooses it. */
const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

const process: SessionProcess = {
  row: 3,
  entityId: `entity ${HOSTILE}`,
  parentEntityId: "parent",
  depth: 2,
  childCount: 1,
  descendants: 4,
  start: "2026-11-23T08:32:42.000Z",
  name: `nc${HOSTILE}`,
  executable: "/tmp/nc",
  pid: 20778,
  args: ["/tmp/nc", HOSTILE],
  commandLine: `/tmp/nc ${HOSTILE}`,
  userName: `www-data${HOSTILE}`,
  workingDirectory: `/var/www/${HOSTILE}`,
  end: "2026-11-23T08:36:02.000Z",
  exitCode: 137,
  unreadable: null,
  alertIds: ["alert-1", "alert-2"],
};

const alerts: SessionAlert[] = [
  {
    id: "alert-2",
    ruleName: `Other rule ${HOSTILE}`,
    severity: "high",
    status: "open",
    timestamp: "2026-11-23T08:32:43.000Z",
    entityId: process.entityId,
    processName: "nc",
    row: 3,
  },
  {
    id: "alert-1",
    ruleName: "Suspicious Network Tool Launched Inside A Container",
    severity: "medium",
    status: "open",
    timestamp: "2026-11-23T08:32:42.000Z",
    entityId: process.entityId,
    processName: "nc",
    row: 3,
  },
];

function render(overrides: Partial<Parameters<typeof SessionRow>[0]> = {}): string {
  return renderToStaticMarkup(
    createElement(SessionRow, {
      row: 3,
      top: 132,
      height: 44,
      depth: 2,
      hasChildren: true,
      folded: false,
      hiddenBelow: 0,
      process,
      currentAlertId: "alert-1",
      alerts,
      isMatch: false,
      onToggle: () => undefined,
      ...overrides,
    }),
  );
}

describe("SessionRow", () => {
  it("renders hostile process strings as text", () => {
    const html = render();
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
  });

  it("shows the alert being read first, links each alert, and the exit and user", () => {
    const html = render();
    const thisAlert = html.indexOf("this alert");
    const other = html.indexOf("Other rule");
    expect(thisAlert).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(thisAlert);
    expect(html).toContain('href="/alerts/alert-1"');
    expect(html).toContain('href="/alerts/alert-2"');
    expect(html).toContain("exit 137");
    expect(html).toContain('aria-current="true"');
    expect(html).toContain('aria-expanded="true"');
  });

  it("says how many processes a folded row hides, and waits for details it does not have yet", () => {
    expect(render({ folded: true, hiddenBelow: 4 })).toContain("+4 below");
    const loading = render({ process: undefined });
    expect(loading).toContain("Loading…");
    expect(loading).not.toContain("data-loaded");
  });
});
