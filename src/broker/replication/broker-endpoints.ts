/**
 * Where the other brokers' inter-broker listeners are, as a follower needs them to reach its leaders:
 * from LeaderAndIsr's liveLeaders (host/port of the listener the controller uses), from
 * UpdateMetadata's live brokers (the endpoint named like this broker's inter-broker listener), and
 * failing both from the metadata store's registrations (same listener name, else the first endpoint).
 * The newest word wins; UpdateMetadata replaces the whole set of live brokers it names.
 */
import type { MetadataStore } from '../metadata/metadata-store.js';
import type { BrokerEndPoint } from './types.js';

export interface UpdateMetadataBroker {
  readonly id: number;
  readonly endpoints: readonly { readonly host: string; readonly port: number; readonly listener: string }[];
}

export class BrokerEndpoints {
  private readonly known = new Map<number, BrokerEndPoint>();

  constructor(
    private readonly listenerName: string,
    private readonly metadata: Pick<MetadataStore, 'broker'>,
  ) {}

  /** LeaderAndIsr liveLeaders. */
  updateLiveLeaders(leaders: readonly BrokerEndPoint[]): void {
    for (const l of leaders) this.known.set(l.id, { id: l.id, host: l.host, port: l.port });
  }

  /** UpdateMetadata liveBrokers (v1+ endpoints; v0's single host/port comes as one unnamed endpoint). */
  updateLiveBrokers(brokers: readonly UpdateMetadataBroker[]): void {
    this.known.clear();
    for (const b of brokers) {
      const e = b.endpoints.find((x) => x.listener === this.listenerName) ?? b.endpoints[0];
      if (e !== undefined) this.known.set(b.id, { id: b.id, host: e.host, port: e.port });
    }
  }

  /** The broker's endpoint, or undefined when nobody says it is alive. */
  endpointOf(brokerId: number): BrokerEndPoint | undefined {
    const known = this.known.get(brokerId);
    if (known !== undefined) return known;
    const registration = this.metadata.broker(brokerId);
    if (registration === undefined) return undefined;
    const e = registration.endpoints.find((x) => x.listenerName === this.listenerName) ?? registration.endpoints[0];
    return { id: brokerId, host: e?.host ?? registration.host, port: e?.port ?? registration.port };
  }
}
