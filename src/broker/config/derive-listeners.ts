/**
 * Which addresses the broker binds and which it gives to clients.
 *
 * - `listeners` when set; otherwise Kafka's pre-3.0 rule PLAINTEXT://{host.name}:{port}, which with
 *   the defaults ("" and 9092) is PLAINTEXT://:9092, the default of `listeners`.
 * - `advertised.listeners` when set; otherwise, if advertised.host.name or advertised.port is set,
 *   PLAINTEXT://{advertised.host.name ?? host.name}:{advertised.port ?? port}; otherwise the listeners.
 * - Listener names are unique and map to a security protocol; Samsa serves PLAINTEXT only. Ports
 *   differ between listeners on the same host (0, a free port, may repeat). Advertised names are
 *   listener names and never the meta-address 0.0.0.0 or ::.
 * - The inter-broker listener is inter.broker.listener.name, or the first advertised listener.
 */
import { problemAt, type BrokerView, type Findings } from './broker-view.js';
import {
  LISTENER_FORM,
  formatListener,
  listenerEntries,
  parseListenerAddress,
  parseSecurityProtocolMap,
  type Listener,
  type ListenerAddress,
} from './listeners.js';

export interface DerivedListeners {
  readonly listeners: readonly Listener[];
  readonly advertisedListeners: readonly Listener[];
  readonly interBrokerListener: Listener | undefined;
}

type ListenerKey = 'listeners' | 'advertised.listeners';

const FORM_WITH_EXAMPLE = `${LISTENER_FORM} (e.g. PLAINTEXT://:9092)`;

function legacyListeners(view: BrokerView): string {
  return `PLAINTEXT://${formatHost(view.get('host.name'))}:${view.get('port')}`;
}

function legacyAdvertised(view: BrokerView): string | undefined {
  if (!view.isSet('advertised.host.name') && !view.isSet('advertised.port')) return undefined;
  const host = view.get('advertised.host.name') ?? view.get('host.name');
  return `PLAINTEXT://${formatHost(host)}:${view.get('advertised.port') ?? view.get('port')}`;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function deriveListeners(view: BrokerView, findings: Findings): DerivedListeners {
  const protocols = parseSecurityProtocolMap(view.get('listener.security.protocol.map')) ?? new Map();

  const resolve = (key: ListenerKey, text: string, distinctPorts: boolean): Listener[] => {
    const fail = (expected: string): Listener[] => {
      findings.problems.push(problemAt(view, key, expected));
      return [];
    };
    const addresses: ListenerAddress[] = [];
    for (const entry of listenerEntries(text)) {
      const address = parseListenerAddress(entry);
      if (address === undefined) return fail(FORM_WITH_EXAMPLE);
      addresses.push(address);
    }
    const out: Listener[] = [];
    for (const address of addresses) {
      const protocol = protocols.get(address.name);
      if (out.some((l) => l.name === address.name)) return fail(`each listener to have a different name`);
      if (protocol === undefined) {
        return fail(
          `a listener name that listener.security.protocol.map maps to a protocol (${address.name} is not in it)`,
        );
      }
      if (protocol !== 'PLAINTEXT') {
        return fail(`PLAINTEXT listeners only: Samsa does not serve ${protocol} (listener ${address.name})`);
      }
      const clash = out.find(
        (l) =>
          l.port === address.port &&
          address.port !== 0 &&
          (l.host === address.host || l.host === '' || address.host === ''),
      );
      if (distinctPorts && clash !== undefined) {
        return fail(`each listener to have a different port (${formatListener(clash)} and ${formatListener(address)})`);
      }
      out.push({ ...address, securityProtocol: protocol });
    }
    return out;
  };

  if (view.isSet('listeners') && (view.isSet('port') || view.isSet('host.name'))) {
    findings.warnings.push('port and host.name are ignored because listeners is set');
  }
  const listenersText = view.isSet('listeners') ? view.get('listeners') : legacyListeners(view);
  const listeners = resolve('listeners', listenersText, true);
  if (listeners.length === 0 && listenerEntries(listenersText).length === 0) {
    findings.problems.push(problemAt(view, 'listeners', FORM_WITH_EXAMPLE));
  }

  const advertisedSet = view.get('advertised.listeners');
  const legacy = legacyAdvertised(view);
  if (advertisedSet !== null && legacy !== undefined) {
    findings.warnings.push('advertised.host.name and advertised.port are ignored because advertised.listeners is set');
  }
  let advertisedListeners: readonly Listener[] = listeners;
  if (advertisedSet !== null || legacy !== undefined) {
    const key: ListenerKey = 'advertised.listeners';
    advertisedListeners = resolve(key, advertisedSet ?? legacy ?? '', false);
    const names = new Set(listeners.map((l) => l.name));
    const stray = advertisedListeners.find((l) => !names.has(l.name));
    const meta = advertisedListeners.find((l) => l.host === '0.0.0.0' || l.host === '::');
    if (stray !== undefined) {
      findings.problems.push(problemAt(view, key, `listener names that are also in listeners (${stray.name} is not)`));
    } else if (meta !== undefined) {
      findings.problems.push(
        problemAt(view, key, `routable addresses, not the meta-address ${meta.host} (${formatListener(meta)})`),
      );
    }
  }

  const interName = view.get('inter.broker.listener.name');
  let interBrokerListener = advertisedListeners[0];
  if (interName !== null) {
    interBrokerListener = advertisedListeners.find((l) => l.name === interName.toUpperCase());
    if (interBrokerListener === undefined && advertisedListeners.length > 0) {
      findings.problems.push(
        problemAt(
          view,
          'inter.broker.listener.name',
          `one of the advertised listener names (${advertisedListeners.map((l) => l.name).join(', ')})`,
        ),
      );
    }
  }
  return { listeners, advertisedListeners, interBrokerListener };
}
