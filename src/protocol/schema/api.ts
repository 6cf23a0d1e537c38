import type { AnyField, InputOf, StructOf } from './fields.js';
import { inRange, NO_VERSIONS, parseVersions, type VersionRange } from './versions.js';

/**
 * One API: its key, its version range, the versions that are flexible (KIP-482) and the fields of its
 * request and response across every version. Header choices follow from the flexible versions, except
 * for the two exceptions Kafka has, which are declared as data:
 *  - `requestHeaderV0`: versions whose request header has no client id (ControlledShutdown v0);
 *  - `responseHeaderV0Always`: ApiVersions answers with header v0 at every version (KIP-511), so a
 *    client can read the error code before it knows which versions the broker speaks.
 */
export interface ApiDeclaration<
  Req extends readonly AnyField[] = readonly AnyField[],
  Res extends readonly AnyField[] = readonly AnyField[],
> {
  readonly apiKey: number;
  readonly name: string;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly requestHeaderV0: VersionRange;
  readonly responseHeaderV0Always: boolean;
  readonly request: Req;
  readonly response: Res;
}

export interface ApiSpec<Req extends readonly AnyField[], Res extends readonly AnyField[]> {
  readonly apiKey: number;
  readonly name: string;
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly requestHeaderV0?: string;
  readonly responseHeaderV0Always?: boolean;
  readonly request: Req;
  readonly response: Res;
}

export function api<const Req extends readonly AnyField[], const Res extends readonly AnyField[]>(
  spec: ApiSpec<Req, Res>,
): ApiDeclaration<Req, Res> {
  return Object.freeze({
    apiKey: spec.apiKey,
    name: spec.name,
    validVersions: parseVersions(spec.validVersions),
    flexibleVersions: parseVersions(spec.flexibleVersions),
    requestHeaderV0: spec.requestHeaderV0 !== undefined ? parseVersions(spec.requestHeaderV0) : NO_VERSIONS,
    responseHeaderV0Always: spec.responseHeaderV0Always ?? false,
    request: spec.request,
    response: spec.response,
  });
}

/** The decoded request of an API. */
export type RequestOf<A> = A extends ApiDeclaration<infer Q, readonly AnyField[]> ? StructOf<Q> : never;
/** The decoded response of an API (what a client, or a golden-bytes test, reads). */
export type ResponseOf<A> = A extends ApiDeclaration<readonly AnyField[], infer S> ? StructOf<S> : never;
/** What a handler hands the encoder: any field left out is written as its default. */
export type ResponseInput<A> = A extends ApiDeclaration<readonly AnyField[], infer S> ? InputOf<S> : never;
/** What a client (our CLI tools) hands the encoder for a request. */
export type RequestInput<A> = A extends ApiDeclaration<infer Q, readonly AnyField[]> ? InputOf<Q> : never;

export function isFlexible(decl: ApiDeclaration, version: number): boolean {
  return inRange(decl.flexibleVersions, version);
}

/** Request header v0 (no client id), v1 (client id) or v2 (v1 plus tagged fields). */
export function requestHeaderVersion(decl: ApiDeclaration, version: number): 0 | 1 | 2 {
  if (inRange(decl.requestHeaderV0, version)) return 0;
  return isFlexible(decl, version) ? 2 : 1;
}

/** Response header v0 (correlation id) or v1 (plus tagged fields). */
export function responseHeaderVersion(decl: ApiDeclaration, version: number): 0 | 1 {
  if (decl.responseHeaderV0Always) return 0;
  return isFlexible(decl, version) ? 1 : 0;
}
