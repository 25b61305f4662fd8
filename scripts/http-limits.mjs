// Preloaded (`node --import`) into `next start`. Node ends any request whose
// body takes longer than 5 minutes to arrive (http.Server requestTimeout), and
// Next offers no setting for it: an events upload of a few GiB streams for
// longer than that and would be cut off. Uploads have their own size limit
// (KEELWATCH_MAX_UPLOAD_BYTES); headers must still arrive within Node's
// headersTimeout, so an idle client cannot hold a connection open.
import http from "node:http";

export const REQUEST_TIMEOUT_MS = 60 * 60 * 1000;

const createServer = http.createServer;
http.createServer = function createServerWithUploadTimeout(...args) {
  const server = createServer.apply(this, args);
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  return server;
};
