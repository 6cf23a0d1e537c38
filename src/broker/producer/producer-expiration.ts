/**
 * The periodic removal of idle producer ids (Kafka's PeriodicProducerExpirationCheck, one per log):
 * every producer.id.expiration.check.interval.ms, each hosted partition drops the producers idle for
 * producer.id.expiration.ms. The timer is unref'd so it never keeps the process alive.
 */
import type { ProducerStateManager } from './producer-state-manager.js';

export function scheduleProducerExpiration(
  partitions: () => Iterable<{ readonly producerStateManager: ProducerStateManager }>,
  intervalMs: number,
): () => void {
  const timer = setInterval(() => {
    const now = Date.now();
    for (const p of partitions()) p.producerStateManager.removeExpiredProducers(now);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
