import net from 'node:net';

/**
 * The network a request comes from, as per-address rate limits count it: an IPv4 address as it is,
 * an IPv6 address as its /64. One subscriber (a home line, a phone, a cloud VM) is handed a whole
 * /64 and may send from any of its 2^64 addresses: counted per address, a budget of 30 would be no
 * budget at all. IPv4-mapped IPv6 (`::ffff:203.0.113.9`, as a dual-stack socket reports IPv4
 * clients) is the IPv4 address. Anything else (not an IP address) is kept, cut to 64 characters.
 */
export function clientNetwork(ip: string): string {
  const address = ip.trim().replace(/%.*$/, ''); // a zone (fe80::1%eth0) names the interface, not the peer
  if (net.isIPv4(address)) return address;
  if (!net.isIPv6(address)) return ip.slice(0, 64);
  const groups = ipv6Groups(address);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 part as two groups). */
function ipv6Groups(address: string): number[] {
  const dotted = address.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  let text = address;
  if (dotted) {
    const [a, b, c, d] = dotted[2]!.split('.').map(Number) as [number, number, number, number];
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const parse = (part: string | null | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  return tail === null ? front : [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}
