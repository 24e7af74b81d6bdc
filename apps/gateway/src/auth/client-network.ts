import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a login attempt is counted against. An IPv4 client is its address; an IPv4 client
 * seen through an IPv6 socket (`::ffff:203.0.113.7`) is the same client. An IPv6 client is its
 * /64: one subscriber (a home line, a cloud VM) gets a whole /64 and can pick any of its 2^64
 * addresses, so counting per address would let one client walk past the per-address limit.
 */
export function clientNetworkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  // An embedded IPv4 tail (::1.2.3.4 forms) takes two groups; it is past the /64 anyway.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - width(left) - width(right)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
