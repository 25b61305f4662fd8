import { describe, expect, it } from "vitest";
import { type CidrBlock, ipInBlocks, parseCidr, parseIp, parseIpv4 } from "./ip";

const blocks = (...texts: string[]): CidrBlock[] =>
  texts.map((text) => {
    const block = parseCidr(text);
    if (block === null) throw new Error(text);
    return block;
  });

describe("IP addresses", () => {
  it("parses IPv4", () => {
    expect(parseIpv4("10.6.48.157")).toBe(((10 * 256 + 6) * 256 + 48) * 256 + 157);
    expect(parseIpv4("255.255.255.255")).toBe(0xffffffff);
    for (const bad of ["256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "a.b.c.d", "", "1.2.3.4 "]) {
      expect(parseIpv4(bad)).toBe(-1);
    }
  });

  it("parses IPv6 forms", () => {
    expect(parseIp("::1")).toBe(1n);
    expect(parseIp("2001:db8::1")).toBe(parseIp("2001:0db8:0:0:0:0:0:1"));
    expect(parseIp("::ffff:10.0.0.1")).toBe(parseIp("10.0.0.1"));
    expect(parseIp("fe80::1%eth0")).toBe(parseIp("fe80::1"));
    for (const bad of ["1:2:3", "1::2::3", "12345::", "not-an-ip", "1:2:3:4:5:6:7:8:9"])
      expect(parseIp(bad)).toBeNull();
  });

  it("rejects invalid CIDR blocks", () => {
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "::/129", "x/8", "10.0.0.0/", "10.0.0.0/-1"]) {
      expect(parseCidr(bad)).toBeNull();
    }
  });

  it("matches IPv4 blocks, host bits in the block allowed", () => {
    expect(ipInBlocks("10.1.2.3", blocks("10.6.48.157/8"))).toBe(true);
    expect(ipInBlocks("11.1.2.3", blocks("10.6.48.157/8"))).toBe(false);
    expect(ipInBlocks("10.6.48.157", blocks("10.6.48.157/32"))).toBe(true);
    expect(ipInBlocks("10.6.48.158", blocks("10.6.48.157"))).toBe(false);
    expect(ipInBlocks("8.8.8.8", blocks("0.0.0.0/0"))).toBe(true);
    expect(ipInBlocks("172.31.255.255", blocks("192.168.0.0/16", "172.16.0.0/12"))).toBe(true);
  });

  it("keeps IPv4 blocks and IPv6 addresses apart, as an ip field does", () => {
    expect(ipInBlocks("2001:db8::1", blocks("0.0.0.0/0"))).toBe(false);
    expect(ipInBlocks("10.0.0.1", blocks("::/0"))).toBe(true);
    expect(ipInBlocks("::ffff:10.0.0.1", blocks("10.0.0.0/8"))).toBe(true);
  });

  it("matches IPv6 blocks", () => {
    expect(ipInBlocks("2001:db8:0:0:1::2", blocks("2001:db8::/32"))).toBe(true);
    expect(ipInBlocks("fe80::1", blocks("fe80::/10"))).toBe(true);
    expect(ipInBlocks("fec0::1", blocks("fe80::/10"))).toBe(false);
    expect(ipInBlocks("::1", blocks("::1/128"))).toBe(true);
  });

  it("a value that is not an address matches nothing", () => {
    expect(ipInBlocks("not-an-ip", blocks("0.0.0.0/0", "::/0"))).toBe(false);
  });
});
