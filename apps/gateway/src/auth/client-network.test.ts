import { clientNetworkOf } from './client-network';

describe('clientNetworkOf: what a login attempt is counted against', () => {
  it('keeps an IPv4 address as it is, and unwraps one seen through an IPv6 socket', () => {
    expect(clientNetworkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetworkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetworkOf('::FFFF:198.51.100.1')).toBe('198.51.100.1');
  });

  it('counts every address of one IPv6 /64 as one client, however it is written', () => {
    const a = clientNetworkOf('2001:db8:85a3:12::1');
    expect(a).toBe('2001:db8:85a3:12::/64');
    expect(clientNetworkOf('2001:0db8:85a3:0012:ffff:ffff:ffff:fffe')).toBe(a);
    expect(clientNetworkOf('2001:DB8:85A3:12:abcd::')).toBe(a);
    expect(clientNetworkOf('2001:db8:85a3:12:0:0:0:9%eth0')).toBe(a);
  });

  it('tells apart two /64s that differ only in the fourth group, and expands a :: in the prefix', () => {
    expect(clientNetworkOf('2001:db8:85a3:13::1')).not.toBe(clientNetworkOf('2001:db8:85a3:12::1'));
    expect(clientNetworkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetworkOf('::1')).toBe('0:0:0:0::/64');
    expect(clientNetworkOf('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64');
  });

  it('leaves anything that is not an address alone (a test client, a unix socket)', () => {
    expect(clientNetworkOf('unknown')).toBe('unknown');
  });
});
