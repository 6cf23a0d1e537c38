import { ApiVersions } from '../protocol/messages/18-api-versions.js';
import {
  declarationForRequest,
  encodeApiVersionsFallback,
  encodeResponse,
  peekRequest,
  type EncodedFrame,
} from '../protocol/frame.js';
import { requestCodec, requestHeaderCodec } from '../protocol/codecs.js';
import { DecodeError } from '../protocol/primitives/decode-error.js';
import { Reader } from '../protocol/primitives/reader.js';
import { requestHeaderVersion, type ApiDeclaration } from '../protocol/schema/api.js';
import { inRange } from '../protocol/schema/versions.js';
import { NO_RESPONSE, type Handler } from './handler.js';
import type { RequestContext } from './request-context.js';

/** One entry of the ApiVersions response. */
export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** What the connection supplies for each request besides its bytes. */
export interface ConnectionInfo {
  readonly clientHost: string;
  readonly listenerName: string;
}

/** A response to send (null for none, as for acks=0 Produce), and whether to close afterwards. */
export interface DispatchResult {
  readonly frame: EncodedFrame | null;
  readonly close: boolean;
}

/**
 * Routes a request frame to the handler registered for its api key and version.
 *
 * - A frame whose API has no handler, or whose version the handler does not serve, is a broken request:
 *   a DecodeError, which makes the connection close (as Kafka does). The one exception is ApiVersions at
 *   an unknown version, answered per KIP-511 with a v0 body carrying UNSUPPORTED_VERSION.
 * - The ApiVersions answer is derived from the registrations and computed once.
 */
export class Router {
  private readonly handlers = new Map<number, Handler>();
  private advertised: ApiVersionRange[] | null = null;

  register<A extends ApiDeclaration>(handler: Handler<A>): void {
    if (this.handlers.has(handler.api.apiKey)) throw new Error(`${handler.api.name} registered twice`);
    // Stored by api key; dispatch passes each handler a body decoded with its own declaration.
    this.handlers.set(handler.api.apiKey, handler as unknown as Handler);
    this.advertised = null;
  }

  /** The API ranges this broker advertises, in api key order. */
  apiVersions(): readonly ApiVersionRange[] {
    return (this.advertised ??= [...this.handlers.values()]
      .map((h) => ({ apiKey: h.api.apiKey, minVersion: h.versions.min, maxVersion: h.versions.max }))
      .sort((a, b) => a.apiKey - b.apiKey));
  }

  dispatch(frame: Buffer, info: ConnectionInfo): DispatchResult | Promise<DispatchResult> {
    const peek = peekRequest(frame);
    const handler = this.handlers.get(peek.apiKey);
    if (handler === undefined) throw new DecodeError('UNKNOWN_API', `no handler for api key ${peek.apiKey}`);
    if (!inRange(handler.versions, peek.apiVersion)) {
      if (peek.apiKey === ApiVersions.apiKey) {
        const bytes = encodeApiVersionsFallback(peek.correlationId, rangeOf(handler));
        return { frame: { bytes, splices: null }, close: false };
      }
      throw new DecodeError('UNSUPPORTED_VERSION', `${handler.api.name} v${peek.apiVersion}`);
    }
    const decl = declarationForRequest(peek);
    const r = new Reader(frame);
    const header = requestHeaderCodec(requestHeaderVersion(decl, peek.apiVersion)).read(r);
    const body = requestCodec(decl, peek.apiVersion).read(r);
    const ctx: RequestContext = {
      header,
      apiVersion: peek.apiVersion,
      clientId: header.clientId ?? '',
      clientHost: info.clientHost,
      listenerName: info.listenerName,
      receivedAt: Date.now(),
      closeAfterResponse: false,
    };
    const result = handler.handle(ctx, body as never);
    return result instanceof Promise ? result.then((r) => respond(decl, ctx, r)) : respond(decl, ctx, result);
  }
}

function rangeOf(handler: Handler): { minVersion: number; maxVersion: number } {
  return { minVersion: handler.versions.min, maxVersion: handler.versions.max };
}

function respond(decl: ApiDeclaration, ctx: RequestContext, body: unknown): DispatchResult {
  const frame =
    body === NO_RESPONSE
      ? null
      : encodeResponse(decl, ctx.apiVersion, { correlationId: ctx.header.correlationId }, body);
  return { frame, close: ctx.closeAfterResponse };
}
