import { describe, expect, it } from "vitest";
import { eventRow } from "../../alert-test-fixtures";
import { duplicateHashes, eventIdentity, firstCopies } from "./batch-events";

/** The PostgreSQL writer's choice of rows to insert and to report as duplicates, without a database. */

const at = (second: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, second));

describe("PostgreSQL batch rows", () => {
  const a = eventRow(1, { contentHash: "ha", timestamp: at(1) });
  const b = eventRow(2, { contentHash: "hb", timestamp: at(2) });
  const aAgain = eventRow(3, { contentHash: "ha", timestamp: at(1) });
  // the same content at another time is another event
  const aLater = eventRow(4, { contentHash: "ha", timestamp: at(9) });

  it("keys an event by its timestamp and content hash", () => {
    expect(eventIdentity(at(1), "ha")).toBe("2026-12-06T12:00:01.000Z\nha");
    expect(eventIdentity(at(1), "ha")).not.toBe(eventIdentity(at(9), "ha"));
  });

  it("inserts the first copy of each event, in the batch's order", () => {
    expect(firstCopies([a, b, aAgain, aLater, b])).toEqual([a, b, aLater]);
  });

  it("reports every row but the one copy of each event the batch stored", () => {
    // b was stored before (not among the new ids); a's second copy is a duplicate of the batch's own
    expect(duplicateHashes([a, b, aAgain], new Map([["ha", 10]]))).toEqual(["hb", "ha"]);
    // the same row object sent twice counts once
    expect(duplicateHashes([b, b], new Map([["hb", 11]]))).toEqual(["hb"]);
    expect(duplicateHashes([a, b], new Map())).toEqual(["ha", "hb"]);
  });
});
