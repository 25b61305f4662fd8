/**
 * IP addresses and CIDR blocks for `cidrMatch`, with Elasticsearch's `ip`
 * field semantics: IPv4 addresses live inside IPv6 as `::ffff:a.b.c.d`, so an
 * IPv4 block never holds an IPv6 address, `::/0` holds everything, and
 * `::ffff:10.0.0.1` is the same address as `10.0.0.1`.
 *
 * IPv4 against IPv4 blocks is plain 32-bit arithmetic (the hot path in
 * container rules); IPv6 uses BigInt.
 */

export interface CidrBlock {
  /** Set when the block is an IPv4 block: network and mask as unsigned 32-bit numbers. */
  v4: { network: number; mask: number } | null;
  /** The block in 128-bit form (IPv4 mapped into ::ffff:0:0/96). */
  network: bigint;
  mask: bigint;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;
const ALL_ONES_128 = (1n << 128n) - 1n;

/** An IPv4 address as an unsigned 32-bit number, or -1 when `text` is not one. */
export function parseIpv4(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      octet = octet * 10 + (code - 48);
      digits++;
      if (digits > 3 || octet > 255) return -1;
    } else if (code === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

/** An IPv6 (or IPv4) address as a 128-bit BigInt, or null when `text` is not one. */
export function parseIp(text: string): bigint | null {
  const v4 = parseIpv4(text);
  if (v4 >= 0) return V4_MAPPED_PREFIX | BigInt(v4);
  let address = text;
  const zone = address.indexOf("%");
  if (zone >= 0) address = address.slice(0, zone);
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  if (!address.includes(":")) return null;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === "") return [];
    const groups: number[] = [];
    const pieces = part.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes(".")) {
        const tail = parseIpv4(piece);
        if (tail < 0) return null;
        groups.push(Math.floor(tail / 65536), tail % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return null;
        groups.push(Number.parseInt(piece, 16));
      }
    }
    return groups;
  };
  const head = parseGroups(halves[0] as string);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** Parse `address/prefix` (or a bare address, meaning one host); null when invalid. */
export function parseCidr(text: string): CidrBlock | null {
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? null : text.slice(slash + 1);
  if (prefixText !== null && !/^\d{1,3}$/.test(prefixText)) return null;
  const v4 = parseIpv4(addressText);
  if (v4 >= 0) {
    const prefix = prefixText === null ? 32 : Number(prefixText);
    if (prefix > 32) return null;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const network = (v4 & mask) >>> 0;
    const mask128 = (ALL_ONES_128 << BigInt(32 - prefix)) & ALL_ONES_128;
    return { v4: { network, mask }, network: (V4_MAPPED_PREFIX | BigInt(v4)) & mask128, mask: mask128 };
  }
  const address = parseIp(addressText);
  if (address === null) return null;
  const prefix = prefixText === null ? 128 : Number(prefixText);
  if (prefix > 128) return null;
  const mask = (ALL_ONES_128 << BigInt(128 - prefix)) & ALL_ONES_128;
  return { v4: null, network: address & mask, mask };
}

/** Whether the address in `text` lies in any of `blocks`; false when `text` is not an address. */
export function ipInBlocks(text: string, blocks: readonly CidrBlock[]): boolean {
  const v4 = parseIpv4(text);
  if (v4 >= 0) {
    let needWide = false;
    for (const block of blocks) {
      if (block.v4 !== null) {
        if ((v4 & block.v4.mask) >>> 0 === block.v4.network) return true;
      } else {
        needWide = true;
      }
    }
    if (!needWide) return false;
  }
  const address = v4 >= 0 ? V4_MAPPED_PREFIX | BigInt(v4) : parseIp(text);
  if (address === null) return false;
  for (const block of blocks) {
    if ((address & block.mask) === block.network) return true;
  }
  return false;
}
