import { describe, expect, it } from 'vitest';
import {
  decodeRequest,
  decodeResponse,
  encodeApiVersionsFallback,
  encodeRequest,
  encodeResponse,
  peekRequest,
} from './frame.js';
import { ApiVersions } from './messages/18-api-versions.js';
import { ControlledShutdown } from './messages/07-controlled-shutdown.js';
import { Produce } from './messages/00-produce.js';
import { DecodeError } from './primitives/decode-error.js';

function hex(b: Buffer): string {
  return b.toString('hex');
}

describe('request headers', () => {
  it('uses header v2 with a classic (int16) client id for flexible versions', () => {
    const frame = encodeRequest(
      ApiVersions,
      3,
      { correlationId: 7, clientId: 'ab' },
      {
        clientSoftwareName: 'x',
        clientSoftwareVersion: '1',
      },
    );
    // size | key 18 | version 3 | correlation 7 | client id int16 "ab" | header tags | body
    expect(hex(frame)).toBe('00000012' + '0012' + '0003' + '00000007' + '00026162' + '00' + '027802310' + '0');
    const decoded = decodeRequest(frame.subarray(4));
    expect(decoded.header.clientId).toBe('ab');
    expect(decoded.body).toMatchObject({ clientSoftwareName: 'x', clientSoftwareVersion: '1' });
  });

  it('uses header v1 for non-flexible versions and allows a null client id', () => {
    const frame = encodeRequest(ApiVersions, 2, { correlationId: 1, clientId: null }, {});
    expect(hex(frame)).toBe('0000000a' + '0012' + '0002' + '00000001' + 'ffff');
    expect(decodeRequest(frame.subarray(4)).header.clientId).toBeNull();
  });

  it('uses header v0 (no client id) for ControlledShutdown v0 only', () => {
    const v0 = encodeRequest(ControlledShutdown, 0, { correlationId: 5, clientId: 'ignored' }, { brokerId: 2 });
    expect(hex(v0)).toBe('0000000c' + '0007' + '0000' + '00000005' + '00000002');
    expect(decodeRequest(v0.subarray(4)).body).toMatchObject({ brokerId: 2 });
    const v1 = encodeRequest(ControlledShutdown, 1, { correlationId: 5, clientId: 'c' }, { brokerId: 2 });
    expect(hex(v1)).toBe('0000000f' + '0007' + '0001' + '00000005' + '000163' + '00000002');
  });

  it('peeks the api key, version and correlation id of any frame', () => {
    const frame = encodeRequest(Produce, 9, { correlationId: 99, clientId: 'p' }, { acks: -1, timeoutMs: 1000 });
    expect(peekRequest(frame.subarray(4))).toEqual({ apiKey: 0, apiVersion: 9, correlationId: 99 });
  });

  it('rejects unknown api keys and versions with typed errors', () => {
    const unknownKey = Buffer.from('7fff000000000001ffff', 'hex');
    expect(() => decodeRequest(unknownKey)).toThrow(expect.objectContaining({ code: 'UNKNOWN_API' }));
    const badVersion = Buffer.from('0012006300000001ffff', 'hex');
    expect(() => decodeRequest(badVersion)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
    expect(() => decodeRequest(Buffer.from('0012', 'hex'))).toThrow(DecodeError);
  });
});

describe('response headers', () => {
  it('always uses header v0 for ApiVersions, even when the body is flexible', () => {
    const frame = encodeResponse(ApiVersions, 3, { correlationId: 3 }, { errorCode: 0, apiKeys: [] }).bytes;
    // size | correlation id | error 0 | compact empty array | throttle 0 | body tags: no header tag byte
    expect(hex(frame)).toBe('0000000c' + '00000003' + '0000' + '01' + '00000000' + '00');
    expect(decodeResponse(ApiVersions, 3, frame.subarray(4)).header.correlationId).toBe(3);
  });

  it('uses header v1 with tagged fields for other flexible responses', () => {
    const frame = encodeResponse(Produce, 9, { correlationId: 3 }, { responses: [], throttleTimeMs: 0 }).bytes;
    expect(hex(frame)).toBe('0000000b' + '00000003' + '00' + '01' + '00000000' + '00');
  });

  it('answers an unknown ApiVersions version with a v0 body carrying UNSUPPORTED_VERSION', () => {
    const frame = encodeApiVersionsFallback(11, { minVersion: 0, maxVersion: 4 });
    expect(hex(frame)).toBe('00000010' + '0000000b' + '0023' + '00000001' + '0012' + '0000' + '0004');
    const { body } = decodeResponse(ApiVersions, 0, frame.subarray(4));
    expect(body).toMatchObject({ errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }] });
  });
});
