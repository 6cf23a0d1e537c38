import type { RequestHeaderValue } from '../protocol/codecs.js';

/**
 * What a handler knows about the request beyond its body: who sent it, over which listener, at which
 * version. One object per request; handlers read it and never keep it past the response.
 */
export interface RequestContext {
  readonly header: RequestHeaderValue;
  readonly apiVersion: number;
  readonly clientId: string;
  /** The peer's address as Kafka reports it in group descriptions: "/127.0.0.1". */
  readonly clientHost: string;
  readonly listenerName: string;
  /** Milliseconds since the epoch at which the whole frame had arrived. */
  readonly receivedAt: number;
  /** Set by a handler that wants the connection closed after its response (or instead of one). */
  closeAfterResponse: boolean;
}
