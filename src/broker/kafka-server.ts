import { hostname } from 'node:os';
import { LogManager } from '../log/log-manager.js';
import type { BrokerConfig } from './config/broker-config.js';
import { produceHandler } from './handlers/00-produce.js';
import { fetchHandler } from './handlers/01-fetch.js';
import { listOffsetsHandler } from './handlers/02-list-offsets.js';
import { metadataHandler } from './handlers/03-metadata.js';
import { leaderAndIsrHandler } from './handlers/04-leader-and-isr.js';
import { stopReplicaHandler } from './handlers/05-stop-replica.js';
import { updateMetadataHandler } from './handlers/06-update-metadata.js';
import { apiVersionsHandler } from './handlers/18-api-versions.js';
import { createTopicsHandler } from './handlers/19-create-topics.js';
import { deleteTopicsHandler } from './handlers/20-delete-topics.js';
import { deleteRecordsHandler } from './handlers/21-delete-records.js';
import { offsetForLeaderEpochHandler } from './handlers/23-offset-for-leader-epoch.js';
import { describeConfigsHandler } from './handlers/32-describe-configs.js';
import { alterConfigsHandler } from './handlers/33-alter-configs.js';
import { describeLogDirsHandler } from './handlers/35-describe-log-dirs.js';
import { createPartitionsHandler } from './handlers/37-create-partitions.js';
import { incrementalAlterConfigsHandler } from './handlers/44-incremental-alter-configs.js';
import { describeClusterHandler } from './handlers/60-describe-cluster.js';
import { describeTopicPartitionsHandler } from './handlers/75-describe-topic-partitions.js';
import { initProducerIdHandler } from './handlers/22-init-producer-id.js';
import { describeProducersHandler } from './handlers/61-describe-producers.js';
import { offsetCommitHandler } from './handlers/08-offset-commit.js';
import { offsetFetchHandler } from './handlers/09-offset-fetch.js';
import { findCoordinatorHandler } from './handlers/10-find-coordinator.js';
import { joinGroupHandler } from './handlers/11-join-group.js';
import { heartbeatHandler } from './handlers/12-heartbeat.js';
import { leaveGroupHandler } from './handlers/13-leave-group.js';
import { syncGroupHandler } from './handlers/14-sync-group.js';
import { describeGroupsHandler } from './handlers/15-describe-groups.js';
import { listGroupsHandler } from './handlers/16-list-groups.js';
import { deleteGroupsHandler } from './handlers/42-delete-groups.js';
import { offsetDeleteHandler } from './handlers/47-offset-delete.js';
import { consumerGroupHeartbeatHandler } from './handlers/68-consumer-group-heartbeat.js';
import { consumerGroupDescribeHandler } from './handlers/69-consumer-group-describe.js';
import { startGroupCoordinator } from './group/index.js';
import { Logger } from './logger.js';
import { openMetadata } from './metadata/open-metadata.js';
import type { MetadataStore } from './metadata/metadata-store.js';
import { FileProducerIdBlockStore, ProducerIdManager } from './producer/producer-id-manager.js';
import { ZkProducerIdBlockStore } from './producer/zk-producer-id-block-store.js';
import { ReplicaManager } from './replica-manager.js';
import { KafkaController } from './controller/kafka-controller.js';
import { controlledShutdown } from './controller/controlled-shutdown-client.js';
import { ZooKeeperMetadataStore } from './metadata/zookeeper/zookeeper-store.js';
import { controlledShutdownHandler } from './handlers/07-controlled-shutdown.js';
import { electLeadersHandler } from './handlers/43-elect-leaders.js';
import { alterPartitionReassignmentsHandler } from './handlers/45-alter-partition-reassignments.js';
import { listPartitionReassignmentsHandler } from './handlers/46-list-partition-reassignments.js';
import { Router } from './router.js';
import { SocketServer } from './server.js';
import type { BrokerServices } from './services.js';
import { topicSettings } from './topic-configs.js';
import { zeroCopyMode } from './fetch/sendfile.js';

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
    const { store, brokerId, mode } = await openMetadata(config, log);
    const logLogger = log.child('LogManager');
    const logManager = LogManager.open(
      {
        logDirs: config.logDirs,
        flushSchedulerIntervalMs: config.get('log.flush.scheduler.interval.ms'),
        flushOffsetCheckpointIntervalMs: config.get('log.flush.offset.checkpoint.interval.ms'),
        flushStartOffsetCheckpointIntervalMs: config.get('log.flush.start.offset.checkpoint.interval.ms'),
        recoveryProgressIntervalMs: 3_000,
        retentionCheckIntervalMs: config.get('log.retention.check.interval.ms'),
        cleanerEnable: config.get('log.cleaner.enable'),
        cleaner: {
          dedupeBufferSize: config.get('log.cleaner.dedupe.buffer.size'),
          ioBufferLoadFactor: config.get('log.cleaner.io.buffer.load.factor'),
          ioBufferSize: config.get('log.cleaner.io.buffer.size'),
          backoffMs: config.get('log.cleaner.backoff.ms'),
        },
      },
      {
        logger: logLogger,
        topicConfig: (topic) => topicSettings(config, store.topic(topic)?.configs ?? new Map()).log,
      },
    );
    logManager.startup();
    const replicaManager = new ReplicaManager(brokerId, config, logManager, store, log.child('ReplicaManager'));
    replicaManager.startup();
    // Cluster mode: blocks from /latest_producer_id_block, so no two brokers hand out the same id.
    const producerIdManager = new ProducerIdManager(
      brokerId,
      store instanceof ZooKeeperMetadataStore
        ? new ZkProducerIdBlockStore(() => store.zkClient())
        : new FileProducerIdBlockStore(config.logDirs),
    );
    const services: BrokerServices = {
      brokerId,
      config,
      metadata: store,
      replicaManager,
      logManager,
      log,
      producerIdManager,
      groupCoordinator: startGroupCoordinator({ brokerId, config, metadata: store, replicaManager, log }),
      ...(store instanceof ZooKeeperMetadataStore
        ? { controller: new KafkaController(brokerId, config, store, log.child('KafkaController')) }
        : {}),
    };
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
          zeroCopy: zeroCopyMode(config.get('samsa.fetch.zero.copy')),
        },
        maxConnections: config.get('max.connections'),
        maxConnectionsPerIp: config.get('max.connections.per.ip'),
      },
      log.child('SocketServer'),
    );
    const ports = await socketServer.start();
    await register(store, config, brokerId, ports);
    await services.controller?.startup();
    const elapsed = Math.round(performance.now() - started);
    const listeners = config.listeners.map((l, i) => `${l.name}://${l.host}:${ports[i]}`).join(',');
    log.info(
      `[KafkaServer id=${brokerId}] started in ${elapsed} ms (${mode}, cluster id ${store.clusterId}): ` +
        `listeners ${listeners}, log dirs ${config.logDirs.join(',')}`,
    );
    return new KafkaServer(services, socketServer, ports);
  }

  async shutdown(): Promise<void> {
    const { log, replicaManager, logManager, metadata, brokerId } = this.services;
    log.info(`[KafkaServer id=${brokerId}] shutting down`);
    const { config } = this.services;
    if (metadata instanceof ZooKeeperMetadataStore && config.get('controlled.shutdown.enable'))
      await controlledShutdown(metadata, brokerId, config, log.child('ControlledShutdown'));
    this.services.groupCoordinator.shutdown();
    replicaManager.shutdown();
    await this.socketServer.stop();
    for (const p of replicaManager.allPartitions()) p.producerStateManager.takeSnapshot();
    await logManager.shutdown();
    await this.services.controller?.shutdown();
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
  router.register(leaderAndIsrHandler(s));
  router.register(stopReplicaHandler(s));
  router.register(updateMetadataHandler(s));
  if (s.controller !== undefined) router.register(controlledShutdownHandler(s));
  if (s.controller !== undefined) router.register(electLeadersHandler(s));
  if (s.controller !== undefined) router.register(alterPartitionReassignmentsHandler(s));
  if (s.controller !== undefined) router.register(listPartitionReassignmentsHandler(s));
  router.register(initProducerIdHandler(s));
  router.register(describeProducersHandler(s));
  router.register(apiVersionsHandler(router));
  router.register(createTopicsHandler(s));
  router.register(deleteTopicsHandler(s));
  router.register(deleteRecordsHandler(s));
  router.register(offsetForLeaderEpochHandler(s));
  router.register(describeConfigsHandler(s));
  router.register(alterConfigsHandler(s));
  router.register(describeLogDirsHandler(s));
  router.register(createPartitionsHandler(s));
  router.register(incrementalAlterConfigsHandler(s));
  router.register(describeClusterHandler(s));
  router.register(describeTopicPartitionsHandler(s));
  router.register(offsetCommitHandler(s));
  router.register(offsetFetchHandler(s));
  router.register(findCoordinatorHandler(s));
  router.register(joinGroupHandler(s));
  router.register(heartbeatHandler(s));
  router.register(leaveGroupHandler(s));
  router.register(syncGroupHandler(s));
  router.register(describeGroupsHandler(s));
  router.register(listGroupsHandler(s));
  router.register(deleteGroupsHandler(s));
  router.register(offsetDeleteHandler(s));
  router.register(consumerGroupHeartbeatHandler(s));
  router.register(consumerGroupDescribeHandler(s));
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
