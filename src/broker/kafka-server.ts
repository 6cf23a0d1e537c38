import { hostname } from 'node:os';
import { LogManager } from '../log/log-manager.js';
import type { BrokerConfig } from './config/broker-config.js';
import { produceHandler } from './handlers/00-produce.js';
import { fetchHandler } from './handlers/01-fetch.js';
import { listOffsetsHandler } from './handlers/02-list-offsets.js';
import { metadataHandler } from './handlers/03-metadata.js';
import { apiVersionsHandler } from './handlers/18-api-versions.js';
import { Logger } from './logger.js';
import { openEmbeddedMetadata } from './metadata/embedded-startup.js';
import type { MetadataStore } from './metadata/metadata-store.js';
import { topicConfigSchema } from './metadata/topic-config.js';
import { ReplicaManager } from './replica-manager.js';
import { Router } from './router.js';
import { SocketServer } from './server.js';
import type { BrokerServices } from './services.js';
import { topicSettings } from './topic-configs.js';

/** How many requests one connection may have unanswered, and bytes queued, before it stops reading. */
const MAX_IN_FLIGHT_PER_CONNECTION = 64;
const MAX_QUEUED_BYTES_PER_CONNECTION = 64 * 1024 * 1024;

/**
 * One broker process (Kafka's KafkaServer): starts the parts in dependency order and stops them in
 * reverse. Startup: metadata (broker id, cluster id) → logs (recovered if the last stop was not
 * clean) → partitions → handlers → listeners → registration. Shutdown: stop accepting and answer what
 * is in flight → stop partitions → flush and checkpoint the logs and write the clean-shutdown marker →
 * close the metadata. Every step is awaited before the next: no await inside a state change.
 */
export class KafkaServer {
  private constructor(
    readonly services: BrokerServices,
    private readonly socketServer: SocketServer,
    readonly boundPorts: readonly number[],
  ) {}

  get brokerId(): number {
    return this.services.brokerId;
  }

  static async start(config: BrokerConfig, log = new Logger('KafkaServer')): Promise<KafkaServer> {
    const started = performance.now();
    const { store, brokerId } = await openEmbeddedMetadata({
      logDirs: config.logDirs,
      brokerId: config.brokerId,
      brokerIdGenerationEnable: config.get('broker.id.generation.enable'),
      maxReservedBrokerId: config.get('reserved.broker.max.id'),
      defaultNumPartitions: config.get('num.partitions'),
      defaultReplicationFactor: config.get('default.replication.factor'),
      topicConfigSchema: topicConfigSchema(config),
      logger: log.child('EmbeddedMetadataStore'),
    });
    const logLogger = log.child('LogManager');
    const logManager = LogManager.open(
      {
        logDirs: config.logDirs,
        flushSchedulerIntervalMs: config.get('log.flush.scheduler.interval.ms'),
        flushOffsetCheckpointIntervalMs: config.get('log.flush.offset.checkpoint.interval.ms'),
        flushStartOffsetCheckpointIntervalMs: config.get('log.flush.start.offset.checkpoint.interval.ms'),
        recoveryProgressIntervalMs: 3_000,
      },
      {
        logger: logLogger,
        topicConfig: (topic) => topicSettings(config, store.topic(topic)?.configs ?? new Map()).log,
      },
    );
    logManager.startup();
    const replicaManager = new ReplicaManager(brokerId, config, logManager, store, log.child('ReplicaManager'));
    replicaManager.startup();
    const services: BrokerServices = { brokerId, config, metadata: store, replicaManager, logManager, log };
    const router = new Router();
    registerHandlers(router, services);
    const socketServer = new SocketServer(
      router,
      {
        listeners: config.listeners.map((l) => ({ name: l.name, host: l.host, port: l.port })),
        limits: {
          maxRequestSize: config.get('socket.request.max.bytes'),
          idleMs: config.get('connections.max.idle.ms'),
          maxInFlight: MAX_IN_FLIGHT_PER_CONNECTION,
          maxQueuedBytes: MAX_QUEUED_BYTES_PER_CONNECTION,
        },
        maxConnections: config.get('max.connections'),
        maxConnectionsPerIp: config.get('max.connections.per.ip'),
      },
      log.child('SocketServer'),
    );
    const ports = await socketServer.start();
    await register(store, config, brokerId, ports);
    const elapsed = Math.round(performance.now() - started);
    const listeners = config.listeners.map((l, i) => `${l.name}://${l.host}:${ports[i]}`).join(',');
    log.info(
      `[KafkaServer id=${brokerId}] started in ${elapsed} ms (standalone, cluster id ${store.clusterId}): ` +
        `listeners ${listeners}, log dirs ${config.logDirs.join(',')}`,
    );
    return new KafkaServer(services, socketServer, ports);
  }

  async shutdown(): Promise<void> {
    const { log, replicaManager, logManager, metadata, brokerId } = this.services;
    log.info(`[KafkaServer id=${brokerId}] shutting down`);
    replicaManager.shutdown();
    await this.socketServer.stop();
    await logManager.shutdown();
    await metadata.close();
    log.info(`[KafkaServer id=${brokerId}] shut down completed`);
  }
}

/** Every API this broker serves; ApiVersions advertises exactly these. */
function registerHandlers(router: Router, s: BrokerServices): void {
  router.register(produceHandler(s));
  router.register(fetchHandler(s));
  router.register(listOffsetsHandler(s));
  router.register(metadataHandler(s));
  router.register(apiVersionsHandler(router));
}

/** Registers this broker with its advertised endpoints (an empty host advertises the machine's name). */
async function register(store: MetadataStore, config: BrokerConfig, brokerId: number, ports: readonly number[]) {
  const endpoints = config.advertisedListeners.map((l) => {
    const bound = config.listeners.findIndex((b) => b.name === l.name);
    const port = l.port === 0 && bound >= 0 ? ports[bound]! : l.port;
    return { listenerName: l.name, securityProtocol: l.securityProtocol, host: l.host || hostname(), port };
  });
  const first = endpoints[0]!;
  await store.registerBroker({
    brokerId,
    host: first.host,
    port: first.port,
    rack: config.get('broker.rack'),
    endpoints,
  });
}
