/** Thrown when an upload passes the configured size limit. */
export class UploadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The upload is larger than the limit of ${formatBytes(limit)}.`);
    this.name = "UploadTooLargeError";
  }
}

export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Passes chunks through, counting bytes, and stops the stream once it passes `limit`. */
export async function* countBytes(
  input: AsyncIterable<Uint8Array>,
  limit: number,
  counter: { bytes: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of input) {
    counter.bytes += chunk.byteLength;
    if (counter.bytes > limit) throw new UploadTooLargeError(limit);
    yield chunk;
  }
}
