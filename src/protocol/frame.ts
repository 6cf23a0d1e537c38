import {
  declarationFor,
  requestCodec,
  requestHeaderCodec,
  responseCodec,
  responseHeaderCodec,
  type RequestHeaderValue,
  type ResponseHeaderValue,
} from './codecs.js';
import { ApiVersions } from './messages/18-api-versions.js';
import { DecodeError } from './primitives/decode-error.js';
import { Reader } from './primitives/reader.js';
import { Writer, type Splice } from './primitives/writer.js';
import { requestHeaderVersion, responseHeaderVersion, type ApiDeclaration } from './schema/api.js';
import { inRange } from './schema/versions.js';

/**
 * Kafka frames: a 4-byte big-endian size, then a header, then a body. Decoders take the frame without
 * its size prefix (the connection strips it while framing); encoders return the whole frame, size
 * prefix included, in one buffer.
 *
 * Like Kafka, a request body may be followed by bytes the declaration does not cover; they are ignored.
 */
/** Kafka's UNSUPPORTED_VERSION error code. */
const UNSUPPORTED_VERSION = 35;

export interface RequestPeek {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
}

export interface DecodedRequest {
  readonly decl: ApiDeclaration;
  readonly header: RequestHeaderValue;
  readonly body: unknown;
}

export interface DecodedResponse {
  readonly header: ResponseHeaderValue;
  readonly body: unknown;
}

/**
 * A frame ready to send. When `splices` is set, each splice's records go after `offset` bytes of
 * `bytes`, in order; the size prefix counts them.
 */
export interface EncodedFrame {
  readonly bytes: Buffer;
  readonly splices: Splice[] | null;
}

/** The fixed start of every request header (v0, v1 and v2 agree on it). */
export function peekRequest(frame: Buffer): RequestPeek {
  if (frame.length < 8) throw new DecodeError('TRUNCATED', `request frame of ${frame.length} bytes`);
  return { apiKey: frame.readInt16BE(0), apiVersion: frame.readInt16BE(2), correlationId: frame.readInt32BE(4) };
}

/** The declaration of a request's API at its version, or a DecodeError saying which is unknown. */
export function declarationForRequest(peek: RequestPeek): ApiDeclaration {
  const decl = declarationFor(peek.apiKey);
  if (!decl) throw new DecodeError('UNKNOWN_API', `api key ${peek.apiKey}`);
  if (!inRange(decl.validVersions, peek.apiVersion)) {
    throw new DecodeError('UNSUPPORTED_VERSION', `${decl.name} v${peek.apiVersion}`);
  }
  return decl;
}

export function decodeRequest(frame: Buffer): DecodedRequest {
  const peek = peekRequest(frame);
  const decl = declarationForRequest(peek);
  const r = new Reader(frame);
  const header = requestHeaderCodec(requestHeaderVersion(decl, peek.apiVersion)).read(r);
  const body = requestCodec(decl, peek.apiVersion).read(r);
  return { decl, header, body };
}

export function encodeRequest(
  decl: ApiDeclaration,
  version: number,
  header: Partial<RequestHeaderValue>,
  body: unknown,
): Buffer {
  const h = { ...header, requestApiKey: decl.apiKey, requestApiVersion: version };
  const headerCodec = requestHeaderCodec(requestHeaderVersion(decl, version));
  const bodyCodec = requestCodec(decl, version);
  const size = headerCodec.size(h) + bodyCodec.size(body);
  const w = Writer.alloc(4 + size);
  w.writeInt32(size);
  headerCodec.write(w, h);
  bodyCodec.write(w, body);
  if (w.splices) throw new TypeError('requests carry their records in memory');
  return w.buf;
}

export function decodeResponse(decl: ApiDeclaration, version: number, frame: Buffer): DecodedResponse {
  const r = new Reader(frame);
  const header = responseHeaderCodec(responseHeaderVersion(decl, version)).read(r);
  const body = responseCodec(decl, version).read(r);
  return { header, body };
}

export function encodeResponse(
  decl: ApiDeclaration,
  version: number,
  header: Partial<ResponseHeaderValue>,
  body: unknown,
): EncodedFrame {
  const headerCodec = responseHeaderCodec(responseHeaderVersion(decl, version));
  const bodyCodec = responseCodec(decl, version);
  const size = headerCodec.size(header) + bodyCodec.size(body);
  const w = Writer.alloc(4 + size);
  w.writeInt32(size);
  headerCodec.write(w, header);
  bodyCodec.write(w, body);
  // External records take no room in `bytes`; the size prefix already counts them.
  return { bytes: w.splices ? w.buf.subarray(0, w.pos) : w.buf, splices: w.splices };
}

/**
 * KIP-511: an ApiVersions request at a version this broker does not know is not parsed; it is answered
 * with a v0 body carrying UNSUPPORTED_VERSION and the ApiVersions range the broker does support, under
 * response header v0, so any client can read it and retry at a version both sides speak.
 */
export function encodeApiVersionsFallback(
  correlationId: number,
  supported: { readonly minVersion: number; readonly maxVersion: number },
): Buffer {
  const body = {
    errorCode: UNSUPPORTED_VERSION,
    apiKeys: [{ apiKey: ApiVersions.apiKey, minVersion: supported.minVersion, maxVersion: supported.maxVersion }],
  };
  return encodeResponse(ApiVersions, 0, { correlationId }, body).bytes;
}
