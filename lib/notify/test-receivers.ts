import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request as a real HTTP receiver got it. */
export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The status to answer request `n` (counted from 1) with, or a promise of it: a slow receiver answers later. */
export type ReceiverAnswer = (n: number) => number | Promise<number>;

/**
 * A local HTTP server standing in for a webhook receiver, for tests: it keeps
 * every request (as soon as its body has arrived, before answering) and
 * answers with `answer(n)`, 200 by default. It listens on `listenPort` (0: any free
 * one).
 */
export async function startHttpReceiver(answer: ReceiverAnswer = () => 200, listenPort = 0) {
  const requests: ReceivedRequest[] = [];
  let respond = answer;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      requests.push({
        path: request.url ?? "/",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const status = await respond(requests.length);
      // The sender may have gone (killed, or it gave up waiting): nobody to answer.
      if (request.socket.destroyed) return;
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(status < 300 ? "ok" : "receiver unavailable");
    });
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerWith(next: ReceiverAnswer) {
      respond = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
