import { describe, expect, it } from 'vitest';
import { formatListener, parseListenerAddress, parseSecurityProtocolMap } from './listeners.js';

describe('parseListenerAddress', () => {
  it.each([
    ['PLAINTEXT://:9092', { name: 'PLAINTEXT', host: '', port: 9092 }],
    ['plaintext://localhost:0', { name: 'PLAINTEXT', host: 'localhost', port: 0 }],
    ['EXTERNAL://[::1]:9093', { name: 'EXTERNAL', host: '::1', port: 9093 }],
    ['A://fe80::1%eth0:9094', { name: 'A', host: 'fe80::1%eth0', port: 9094 }],
    ['B://my-host.example.com:65535', { name: 'B', host: 'my-host.example.com', port: 65535 }],
  ])('%s', (text, address) => {
    expect(parseListenerAddress(text)).toEqual(address);
  });

  it.each(['localhost:9092', 'PLAINTEXT://host', 'PLAINTEXT://:65536', 'PLAINTEXT://:-1', '://:9092', 'P://ho st:1'])(
    'refuses %s',
    (text) => {
      expect(parseListenerAddress(text)).toBeUndefined();
    },
  );

  it('formats back, bracketing IPv6 hosts', () => {
    expect(formatListener({ name: 'A', host: '::1', port: 1 })).toBe('A://[::1]:1');
    expect(formatListener({ name: 'A', host: '', port: 1 })).toBe('A://:1');
  });
});

describe('parseSecurityProtocolMap', () => {
  it('upper-cases names and protocols', () => {
    expect(parseSecurityProtocolMap('internal:plaintext, EXTERNAL:SSL')).toEqual(
      new Map([
        ['INTERNAL', 'PLAINTEXT'],
        ['EXTERNAL', 'SSL'],
      ]),
    );
  });

  it('refuses unknown protocols and malformed entries', () => {
    expect(parseSecurityProtocolMap('A:HTTP')).toBeUndefined();
    expect(parseSecurityProtocolMap('A')).toBeUndefined();
    expect(parseSecurityProtocolMap('A:PLAINTEXT:X')).toBeUndefined();
  });
});
