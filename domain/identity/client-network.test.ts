import { describe, expect, it } from 'vitest';
import { clientNetwork } from './client-network';

describe('clientNetwork', () => {
  it('keeps an IPv4 address', () => {
    expect(clientNetwork('203.0.113.9')).toBe('203.0.113.9');
  });
  it('counts an IPv6 address by its /64, whatever its spelling', () => {
    const one = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:fffe', '2001:DB8:1:2:0:0:0:7', '2001:db8:1:2::a%eth0', '2001:db8:1:2:0:0:1.2.3.4'];
    expect(new Set(one.map(clientNetwork))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('fe80::1')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('2001:db8::')).toBe('2001:db8:0:0::/64');
  });
  it('reads an IPv4-mapped IPv6 address as the IPv4 address (a dual-stack socket reports IPv4 clients so)', () => {
    expect(clientNetwork('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientNetwork('::ffff:cb00:7109')).toBe('203.0.113.9');
  });
  it('keeps anything that is not an IP address, cut to 64 characters', () => {
    expect(clientNetwork('unknown')).toBe('unknown');
    expect(clientNetwork('x'.repeat(100))).toHaveLength(64);
  });
});
