import { API_DECLARATIONS } from './messages/index.js';
import { RequestHeader, ResponseHeader } from './messages/headers.js';
import type { ApiDeclaration } from './schema/api.js';
import { isFlexible } from './schema/api.js';
import { compileCodec, type Codec } from './schema/compile.js';
import type { StructOf } from './schema/fields.js';
import { inRange } from './schema/versions.js';

/**
 * The compiled codecs of every (API, version), each compiled once, the first time it is needed, and
 * then reused for the life of the process. `compileAll` compiles everything up front (tests, and a
 * broker that wants its first request of every kind to be as fast as the rest).
 */
export type RequestHeaderValue = StructOf<typeof RequestHeader.request>;
export type ResponseHeaderValue = StructOf<typeof ResponseHeader.response>;

interface VersionCodecs {
  request?: Codec;
  response?: Codec;
}

const byKey = new Map<number, ApiDeclaration>();
for (const decl of API_DECLARATIONS) {
  if (byKey.has(decl.apiKey)) throw new Error(`api key ${decl.apiKey} declared twice`);
  byKey.set(decl.apiKey, decl);
}

const cache = new Map<ApiDeclaration, VersionCodecs[]>();

export function declarationFor(apiKey: number): ApiDeclaration | undefined {
  return byKey.get(apiKey);
}

function slot(decl: ApiDeclaration, version: number): VersionCodecs {
  if (!inRange(decl.validVersions, version)) {
    throw new RangeError(`${decl.name} has no version ${version}`);
  }
  let versions = cache.get(decl);
  if (!versions) cache.set(decl, (versions = []));
  return (versions[version] ??= {});
}

export function requestCodec(decl: ApiDeclaration, version: number): Codec {
  const s = slot(decl, version);
  return (s.request ??= compileCodec(decl.request, version, isFlexible(decl, version)));
}

export function responseCodec(decl: ApiDeclaration, version: number): Codec {
  const s = slot(decl, version);
  return (s.response ??= compileCodec(decl.response, version, isFlexible(decl, version)));
}

const requestHeaders = [0, 1, 2].map((v) =>
  compileCodec<RequestHeaderValue, Partial<RequestHeaderValue>>(RequestHeader.request, v, v >= 2),
);
const responseHeaders = [0, 1].map((v) =>
  compileCodec<ResponseHeaderValue, Partial<ResponseHeaderValue>>(ResponseHeader.response, v, v >= 1),
);

export function requestHeaderCodec(headerVersion: 0 | 1 | 2): Codec<RequestHeaderValue, Partial<RequestHeaderValue>> {
  return requestHeaders[headerVersion]!;
}

export function responseHeaderCodec(headerVersion: 0 | 1): Codec<ResponseHeaderValue, Partial<ResponseHeaderValue>> {
  return responseHeaders[headerVersion]!;
}

export function compileAll(): number {
  let n = 0;
  for (const decl of API_DECLARATIONS) {
    for (let v = decl.validVersions.min; v <= decl.validVersions.max; v++) {
      requestCodec(decl, v);
      responseCodec(decl, v);
      n += 2;
    }
  }
  return n;
}
