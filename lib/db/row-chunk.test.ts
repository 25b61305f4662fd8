import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import type { EventRow } from "./events";
import { packBlock, unpackBlock } from "./events/block-codec.mjs";
import { decodeRows, encodeRows } from "./row-chunk.mjs";

function row(line: number, document: string): EventRow {
  return {
    line,
    contentHash: `hash-${line}`,
    timestamp: new Date(Date.UTC(2026, 11, 6, 12, 0, line)),
    category: "process",
    type: "start",
    action: "exec",
    containerId: "c-1",
    hostName: "node-1",
    entityId: `p${line}`,
    parentEntityId: null,
    processName: "sh",
    processExecutable: "/bin/sh",
    document,
  };
}

describe("row chunks", () => {
  it("carry rows and their documents through a port, bytes intact, multi-byte text and empty documents included", () => {
    const rows = [
      row(1, '{"message":"plain"}'),
      row(2, '{"message":"snowman ☃, emoji 🦀, Ünïcödé"}'),
      row(3, ""),
      row(4, JSON.stringify({ big: "x".repeat(100_000) })),
    ];
    const { chunk, transfer } = encodeRows(rows);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(chunk, transfer);
    // Transferred, not copied: the sender's buffer is detached.
    expect(chunk.documents.byteLength).toBe(0);
    const received = receiveMessageOnPort(port2)!.message;
    port1.close();
    const decoded = decodeRows(received);
    expect(decoded.map((entry) => entry.document.toString("utf8"))).toEqual(rows.map((entry) => entry.document));
    expect(decoded.map(({ document: _, ...rest }) => rest)).toEqual(rows.map(({ document: _, ...rest }) => rest));
  });

  it("pack into the same block as the documents' text", () => {
    const documents = ['{"a":1}', '{"b":"☃"}', '{"c":[1,2,3]}'];
    const decoded = decodeRows(encodeRows(documents.map((document, index) => row(index, document))).chunk);
    const fromBytes = packBlock(decoded.map((entry) => entry.document));
    const fromText = packBlock(documents);
    expect(fromBytes.data.equals(fromText.data)).toBe(true);
    const unpacked = unpackBlock({ id: 1, codec: fromBytes.codec, data: fromBytes.data, checksum: fromBytes.checksum });
    expect([0, 1, 2].map((position) => unpacked.document(position))).toEqual(documents);
  });
});
