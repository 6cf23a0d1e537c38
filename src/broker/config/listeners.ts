/**
 * Listener syntax, as Kafka's EndPoint parses it: `NAME://host:port`, comma-separated. The name is
 * upper-cased and mapped to a security protocol through `listener.security.protocol.map`; the host
 * may be empty (every interface; advertised as the machine's host name) or an IPv6 address in
 * brackets; port 0 asks the OS for a free port.
 */
import { splitList } from './value-parser.js';
import type { Validator } from './validators.js';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export interface Listener {
  /** Upper-cased, e.g. "PLAINTEXT". */
  readonly name: string;
  /** "" means every interface (or, advertised, the machine's host name). */
  readonly host: string;
  readonly port: number;
  readonly securityProtocol: SecurityProtocol;
}

export interface ListenerAddress {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

const ENDPOINT = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*?)\]?:(-?[0-9]+)$/;

/** Parses one `NAME://host:port`; undefined if it does not have that shape or the port is out of range. */
export function parseListenerAddress(text: string): ListenerAddress | undefined {
  const match = ENDPOINT.exec(text);
  if (match === null) return undefined;
  const [, name = '', host = '', portText = ''] = match;
  const port = Number(portText);
  if (name === '' || !Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return { name: name.toUpperCase(), host, port };
}

/** The elements of a listener list, as Kafka splits it (empty elements dropped). */
export function listenerEntries(text: string): readonly string[] {
  return splitList(text.trim()).filter((entry) => entry !== '');
}

export const LISTENER_FORM = 'a comma-separated list of NAME://host:port';

/** Syntax of `listeners` and `advertised.listeners`; names and ports are checked with the whole config. */
export const listenerList: Validator = {
  kafka: 'NAME://host:port,...',
  form: () => LISTENER_FORM,
  check: (value) => {
    const bad = listenerEntries(String(value)).find((entry) => parseListenerAddress(entry) === undefined);
    return bad === undefined ? undefined : { reason: `Unable to parse ${bad} to a broker endpoint` };
  },
};

/** Parses `listener.security.protocol.map` ("NAME:PROTOCOL,..."); undefined if malformed. */
export function parseSecurityProtocolMap(text: string): ReadonlyMap<string, SecurityProtocol> | undefined {
  const map = new Map<string, SecurityProtocol>();
  for (const entry of listenerEntries(text)) {
    const [name, protocol, extra] = entry.split(':').map((part) => part.trim());
    const known = SECURITY_PROTOCOLS.find((p) => p === protocol?.toUpperCase());
    if (name === undefined || name === '' || known === undefined || extra !== undefined) return undefined;
    map.set(name.toUpperCase(), known);
  }
  return map;
}

export const securityProtocolMap: Validator = {
  kafka: 'NAME:PROTOCOL,...',
  form: () => `a comma-separated list of NAME:PROTOCOL with PROTOCOL one of ${SECURITY_PROTOCOLS.join(', ')}`,
  check: (value) =>
    parseSecurityProtocolMap(String(value)) === undefined
      ? { reason: 'Each entry must be NAME:PROTOCOL with a known security protocol' }
      : undefined,
};

export function formatListener(listener: ListenerAddress): string {
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  return `${listener.name}://${host}:${listener.port}`;
}
