import type { ApiDeclaration, RequestOf, ResponseInput } from '../protocol/schema/api.js';
import { inRange, parseVersions, type VersionRange } from '../protocol/schema/versions.js';
import type { RequestContext } from './request-context.js';

/**
 * A handler serves one API over a version range it registers itself (a subset of the declaration's).
 * It returns the response body (or a promise of it), or NO_RESPONSE when Kafka sends none (Produce with
 * acks=0). The router derives the ApiVersions answer from these registrations, so an API without a
 * handler is never advertised.
 */
export const NO_RESPONSE: unique symbol = Symbol('NO_RESPONSE');

export type HandlerResult<A> = ResponseInput<A> | typeof NO_RESPONSE;

export interface Handler<A extends ApiDeclaration = ApiDeclaration> {
  readonly api: A;
  readonly versions: VersionRange;
  handle(ctx: RequestContext, request: RequestOf<A>): HandlerResult<A> | Promise<HandlerResult<A>>;
}

export function defineHandler<A extends ApiDeclaration>(
  api: A,
  versions: string,
  handle: Handler<A>['handle'],
): Handler<A> {
  const range = parseVersions(versions);
  if (!inRange(api.validVersions, range.min) || !inRange(api.validVersions, range.max)) {
    throw new Error(`${api.name} handler versions ${versions} exceed the declaration's`);
  }
  return Object.freeze({ api, versions: range, handle });
}
