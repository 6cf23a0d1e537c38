/**
 * The broker side of a controlled shutdown (Kafka's KafkaServer.controlledShutdown, ZooKeeper mode):
 * before it stops serving, a broker asks the controller (ControlledShutdown, key 7) to move its
 * leaderships away and take it out of the ISRs, and repeats while the controller answers with
 * partitions it still leads or cannot be reached: at most `controlled.shutdown.max.retries` attempts,
 * `controlled.shutdown.retry.backoff.ms` apart. Then it stops anyway ("unclean" shutdown).
 */
import { BrokerConnection } from '../../client/connection.js';
import { ControlledShutdown } from '../../protocol/messages/07-controlled-shutdown.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { Logger } from '../logger.js';
import type { ZooKeeperMetadataStore } from '../metadata/zookeeper/zookeeper-store.js';

const CONNECT_TIMEOUT_MS = 3000;

/** True when the controller answered that nothing is left on this broker. */
export async function controlledShutdown(
  store: ZooKeeperMetadataStore,
  brokerId: number,
  config: BrokerConfig,
  log: Logger,
): Promise<boolean> {
  const attempts = Math.max(1, config.get('controlled.shutdown.max.retries'));
  const backoffMs = Number(config.get('controlled.shutdown.retry.backoff.ms'));
  const timeoutMs = config.get('controller.socket.timeout.ms');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await store.refresh().catch(() => {});
    const controllerId = store.controllerId();
    const controller = store.broker(controllerId);
    const endpoint =
      controller?.endpoints.find((e) => e.listenerName === config.interBrokerListener.name) ?? controller?.endpoints[0];
    if (endpoint === undefined) {
      log.warn(`Controlled shutdown attempt ${attempt}: no controller is known`);
    } else {
      let conn: BrokerConnection | null = null;
      try {
        conn = await BrokerConnection.open(endpoint.host, endpoint.port, {
          clientId: `broker-${brokerId}-controlled-shutdown`,
          // a refused connection is retried until this: keep it short, the attempts retry anyway
          connectTimeoutMs: Math.min(timeoutMs, CONNECT_TIMEOUT_MS),
          requestTimeoutMs: timeoutMs,
        });
        const r = await conn.send(ControlledShutdown, { brokerId, brokerEpoch: store.brokerEpoch() });
        if (r.errorCode === 0 && r.remainingPartitions.length === 0) {
          log.info(`Controlled shutdown of broker ${brokerId} succeeded`);
          return true;
        }
        log.info(
          `Controlled shutdown attempt ${attempt} via controller ${controllerId}: error ${r.errorCode}, ` +
            `remaining partitions ${r.remainingPartitions.map((p) => `${p.topicName}-${p.partitionIndex}`).join(',')}`,
        );
      } catch (err) {
        log.warn(`Controlled shutdown attempt ${attempt} via controller ${controllerId} failed: ${String(err)}`);
      } finally {
        conn?.close();
      }
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, backoffMs));
  }
  log.warn('Proceeding to do an unclean shutdown as all the controlled shutdown attempts failed');
  return false;
}
