/**
 * What the broker hears from the metadata store. The embedded store emits an event after the change
 * is on disk and in memory; the ZooKeeper store will emit the same events from its watches, after its
 * cache holds the new value. Either way a listener that reads the store sees the state the event
 * describes (or a later one).
 *
 * Delivery is synchronous and in order of change. A listener that mutates the store from inside a
 * callback does not reorder anything: the new event is queued and delivered after every listener has
 * seen the current one. A listener that throws is logged and skipped; the others still run and the
 * change stands.
 */
import type { Logger } from '../logger.js';
import type { BrokerRegistration, PartitionMetadata, TopicMetadata } from './types.js';

export type MetadataEvent =
  | { readonly type: 'brokerRegistered'; readonly broker: BrokerRegistration }
  | { readonly type: 'brokerUnregistered'; readonly brokerId: number }
  | { readonly type: 'controllerChanged'; readonly controllerId: number }
  | { readonly type: 'topicCreated'; readonly topic: TopicMetadata }
  /** The topic as it was; its logs are for the broker to delete (match them by topicId). */
  | { readonly type: 'topicDeleted'; readonly topic: TopicMetadata }
  | { readonly type: 'partitionsCreated'; readonly topic: TopicMetadata; readonly partitions: readonly number[] }
  | { readonly type: 'topicConfigChanged'; readonly topic: TopicMetadata }
  | { readonly type: 'partitionStateChanged'; readonly topic: TopicMetadata; readonly partition: PartitionMetadata };

export type MetadataEventType = MetadataEvent['type'];

/** `version` is the store's metadata version once this change is applied. */
export type MetadataListener = (event: MetadataEvent, version: number) => void;

export type Unsubscribe = () => void;

export class MetadataListeners {
  private readonly listeners = new Set<MetadataListener>();
  private readonly queue: { event: MetadataEvent; version: number }[] = [];
  private delivering = false;

  constructor(private readonly logger: Logger) {}

  subscribe(listener: MetadataListener): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: MetadataEvent, version: number): void {
    this.queue.push({ event, version });
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        for (const listener of [...this.listeners]) {
          try {
            listener(next.event, next.version);
          } catch (err) {
            this.logger.error(`Metadata listener failed on ${next.event.type}: ${describe(err)}`);
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
