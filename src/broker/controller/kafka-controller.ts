/**
 * Kafka's ZooKeeper-mode KafkaController, one per broker in cluster mode; active on the broker that
 * holds the ephemeral /controller.
 *
 * Election: after registering, every broker watches /controller and, when it is absent, tries to create
 * it together with a bump of /controller_epoch (one multi, controller-zk.ts). The winner fails over
 * (onControllerFailover): reads the whole context (brokers with their epochs, topics, partition
 * states), gives id-less topics an id, sends UpdateMetadata to every broker and LeaderAndIsr for every
 * partition to its replicas, brings partitions in line with the live brokers (initial states,
 * elections, ISR shrinks), then handles pending deletions, ISR changes and preferred elections, and
 * starts the auto leader rebalance. It resigns when /controller is no longer its own, when a write
 * fails the controller-epoch check (ControllerMovedError), or when its ZooKeeper session is renewed.
 *
 * Everything runs as events on one queue (event-manager.ts): watches only post events. Watches are
 * one-shot: each handler re-reads its znode with the watch, which arms it again. Handlers of a stale
 * watch (from before a resignation) find the controller inactive and do nothing.
 *
 * Events: ControllerChange (/controller), BrokerChange (/brokers/ids children), TopicChange
 * (/brokers/topics children and each topic's assignment: new topics, partition count changes),
 * TopicDeletion (/admin/delete_topics; `delete.topic.enable=false` drops the marks, as Kafka),
 * IsrChangeNotification, PreferredReplicaLeaderElection (/admin/preferred_replica_election),
 * AutoPreferredReplicaLeaderElection (timer), ControlledShutdown (handler 07), Expire (session
 * renewed), PartitionStateRetry (a lost version race, retried once).
 *
 * Deliberate simplifications: a topic is deleted once its live replicas have been sent
 * StopReplica(delete=true), without waiting for their answers or for offline replicas (Kafka's
 * TopicDeletionManager waits and retries); partition reassignment is not implemented.
 */
import type { BrokerConfig } from '../config/broker-config.js';
import type { Logger } from '../logger.js';
import { randomKafkaUuid } from '../metadata/kafka-uuid.js';
import type { ZkClient } from '../metadata/zookeeper/zk-client.js';
import { ZkPaths, decodeController } from '../metadata/zookeeper/zk-data.js';
import type { ZooKeeperMetadataStore } from '../metadata/zookeeper/zookeeper-store.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ControllerChannelManager } from './channel-manager.js';
import { ControllerContext, type LiveBroker, type TopicPartition, tpKey } from './controller-context.js';
import {
  type ControllerEpoch,
  ControllerMovedError,
  PREFERRED_ELECTION_PATH,
  decodePartitionList,
  deleteTopicZnodes,
  readAssignment,
  readBrokers,
  readPartitionState,
  registerController,
  setTopicId,
  takeIsrChangeNotifications,
} from './controller-zk.js';
import { leaderImbalance } from './elections.js';
import { ControllerEventManager } from './event-manager.js';
import {
  type ElectionOutcome,
  type ElectionType,
  type StateMachineEnv,
  controlledShutdownMoves,
  electLeadersForAdmin,
  electOfflinePartitions,
  electPreferredReplicas,
  initializeNewPartitions,
  reconcile,
  removeDeadReplicasFromIsr,
} from './partition-state-machine.js';
import {
  REASSIGN_PATH,
  type ReassignmentError,
  cancelReassignment,
  decodeReassignZnode,
  maybeCompleteReassignment,
  removeFromReassignZnode,
  startReassignment,
} from './reassignment.js';
import { ControllerRequestBatch } from './request-batch.js';

export interface ControlledShutdownResult {
  readonly errorCode: number;
  readonly remainingPartitions: readonly TopicPartition[];
}

export class KafkaController {
  private readonly events: ControllerEventManager;
  private readonly ctx = new ControllerContext();
  /** Set while this broker is the active controller. */
  private epoch: ControllerEpoch | null = null;
  private channels: ControllerChannelManager | null = null;
  private rebalanceTimer: NodeJS.Timeout | null = null;
  private retryScheduled = new Map<string, TopicPartition>();
  private stopped = false;

  private readonly controllerWatch = (): void => this.events.post('ControllerChange', () => this.onControllerChange());
  private readonly brokerWatch = (): void => this.postActive('BrokerChange', (env) => this.onBrokerChange(env));
  private readonly topicWatch = (): void => this.postActive('TopicChange', (env) => this.onTopicChange(env));
  private readonly deletionWatch = (): void => this.postActive('TopicDeletion', (env) => this.onTopicDeletion(env));
  private readonly isrChangeWatch = (): void =>
    this.postActive('IsrChangeNotification', (env) => this.onIsrChange(env));
  private readonly preferredWatch = (): void =>
    this.postActive('PreferredReplicaLeaderElection', (env) => this.onPreferredElection(env));
  private readonly reassignWatch = (): void =>
    this.postActive('ZkPartitionReassignment', (env) => this.onReassignZnode(env));

  constructor(
    readonly brokerId: number,
    private readonly config: BrokerConfig,
    private readonly store: ZooKeeperMetadataStore,
    private readonly log: Logger,
  ) {
    this.events = new ControllerEventManager(log);
    store.onSessionRenewed(() =>
      this.events.post('Expire', async () => {
        this.resign();
        await this.onControllerChange();
      }),
    );
  }

  get isActive(): boolean {
    return this.epoch !== null;
  }

  /** The epoch of this controller while active, else -1. */
  get controllerEpoch(): number {
    return this.epoch?.epoch ?? -1;
  }

  /** Watches /controller and runs for election (Kafka's Startup event). */
  startup(): Promise<void> {
    return this.events.put('Startup', () => this.onControllerChange());
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.events.put('Shutdown', () => Promise.resolve(this.resign())).catch(() => {});
    await this.events.close();
  }

  /** ControlledShutdown (key 7) from broker `id`: move what it leads and follows, answer what it still leads. */
  controlledShutdown(id: number, brokerEpoch: number): Promise<ControlledShutdownResult> {
    return this.events.put('ControlledShutdown', async () => {
      const refuse = (errorCode: number): ControlledShutdownResult => ({ errorCode, remainingPartitions: [] });
      if (this.epoch === null) return refuse(ErrorCode.NOT_CONTROLLER);
      const broker = this.ctx.brokers.get(id);
      if (broker === undefined) return refuse(ErrorCode.BROKER_NOT_AVAILABLE);
      if (brokerEpoch !== -1 && brokerEpoch < broker.epoch) return refuse(ErrorCode.STALE_BROKER_EPOCH);
      this.log.info(`Broker ${id} is shutting down`);
      this.ctx.shuttingDown.add(id);
      let remaining: TopicPartition[] = [];
      await this.withEnv(async (env) => {
        remaining = await controlledShutdownMoves(env, id);
      });
      if (this.epoch === null) return refuse(ErrorCode.NOT_CONTROLLER);
      return { errorCode: ErrorCode.NONE, remainingPartitions: remaining };
    });
  }

  /**
   * ElectLeaders (key 43): `tps` null means every partition (then, as Kafka, partitions that need no
   * election are left out of the answer). null when this broker is not the active controller.
   */
  electLeaders(tps: readonly TopicPartition[] | null, type: ElectionType): Promise<ElectionOutcome[] | null> {
    return this.events.put('ReplicaLeaderElection', async () => {
      if (this.epoch === null) return null;
      let outcomes: ElectionOutcome[] = [];
      await this.withEnv(async (env) => {
        outcomes = await electLeadersForAdmin(env, tps ?? [...this.ctx.allPartitions()], type);
      });
      if (this.epoch === null) return null;
      return tps === null ? outcomes.filter((o) => o.errorCode !== ErrorCode.ELECTION_NOT_NEEDED) : outcomes;
    });
  }

  /**
   * AlterPartitionReassignments (key 45): per partition a target (null cancels); one result each, in
   * order. null when this broker is not the active controller.
   */
  alterPartitionReassignments(
    requests: readonly { tp: TopicPartition; target: readonly number[] | null }[],
  ): Promise<ReassignmentError[] | null> {
    return this.events.put('ApiPartitionReassignment', async () => {
      if (this.epoch === null) return null;
      const results: ReassignmentError[] = [];
      await this.withEnv(async (env) => {
        for (const r of requests)
          results.push(
            r.target === null
              ? await cancelReassignment(env, r.tp)
              : await startReassignment(env, r.tp, r.target, false),
          );
      });
      return this.epoch === null ? null : results;
    });
  }

  /** ListPartitionReassignments (key 46): the reassignments in progress (of `tps`, or all); null if not active. */
  listPartitionReassignments(
    tps: readonly TopicPartition[] | null,
  ): Promise<
    { tp: TopicPartition; replicas: readonly number[]; adding: readonly number[]; removing: readonly number[] }[] | null
  > {
    return this.events.put('ListPartitionReassignments', () => {
      if (this.epoch === null) return Promise.resolve(null);
      const wanted = tps === null ? null : new Set(tps.map((tp) => tpKey(tp.topic, tp.partition)));
      return Promise.resolve(
        [...this.ctx.reassignments]
          .filter(([key]) => wanted === null || wanted.has(key))
          .map(([, r]) => ({
            tp: r.tp,
            replicas: this.ctx.replicas(r.tp.topic, r.tp.partition),
            adding: r.adding,
            removing: r.removing,
          })),
      );
    });
  }

  // ---- election --------------------------------------------------------------------------------

  private zk(): ZkClient {
    return this.store.zkClient();
  }

  /** ControllerChange/Reelect: who holds /controller now; resign if not us, run if nobody. */
  private async onControllerChange(): Promise<void> {
    if (this.stopped) return;
    const node = await this.zk().get(ZkPaths.controller, this.controllerWatch);
    const activeId = node === null ? -1 : decodeController(node.data);
    if (this.isActive && activeId !== this.brokerId) {
      this.log.info(`Controller moved to broker ${activeId}; resigning`);
      this.resign();
    }
    if (activeId === -1) await this.elect();
    else if (activeId === this.brokerId && !this.isActive) {
      // Ours but not active (an old registration of ours): give it up and run again.
      await this.zk().remove(ZkPaths.controller);
    }
  }

  private async elect(): Promise<void> {
    const epoch = await registerController(this.zk(), this.brokerId);
    await this.zk().get(ZkPaths.controller, this.controllerWatch);
    if (epoch === null) return;
    this.log.info(`Broker ${this.brokerId} is the controller (epoch ${epoch.epoch})`);
    this.epoch = epoch;
    try {
      await this.onControllerFailover(epoch);
    } catch (err) {
      this.log.error(`Controller failover failed: ${String(err)}; resigning`);
      this.resign();
      await this.zk().remove(ZkPaths.controller);
    }
  }

  private async onControllerFailover(epoch: ControllerEpoch): Promise<void> {
    this.ctx.clear();
    this.channels = new ControllerChannelManager(
      { clientId: `controller-${this.brokerId}`, requestTimeoutMs: this.config.get('controller.socket.timeout.ms') },
      this.log,
    );
    const zk = this.zk();
    for (const [id, b] of await readBrokers(zk, this.brokerWatch)) this.addBroker(id, b);
    await this.withEnv(async (env) => {
      await this.loadTopics(env, true);
      env.batch.addUpdateMetadata(this.ctx.brokers.keys(), 'all');
      for (const tp of this.ctx.allPartitions())
        env.batch.addLeaderAndIsr(this.ctx.replicas(tp.topic, tp.partition), tp);
      await reconcile(env);
    }, epoch);
    await this.withEnv((env) => this.onTopicDeletion(env), epoch);
    await this.withEnv((env) => this.onIsrChange(env), epoch);
    await this.withEnv((env) => this.onPreferredElection(env), epoch);
    await this.withEnv(async (env) => {
      for (const r of [...this.ctx.reassignments.values()]) await maybeCompleteReassignment(env, r.tp);
      await this.onReassignZnode(env);
    }, epoch);
    this.scheduleAutoRebalance();
  }

  private resign(): void {
    if (this.epoch === null) return;
    this.log.info(`Broker ${this.brokerId} resigns as controller (epoch ${this.epoch.epoch})`);
    this.epoch = null;
    if (this.rebalanceTimer !== null) clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = null;
    this.channels?.close();
    this.channels = null;
    this.ctx.clear();
    this.retryScheduled.clear();
  }

  // ---- running events --------------------------------------------------------------------------

  /** Posts an event that runs only while this broker is the active controller. */
  private postActive(name: string, handle: (env: StateMachineEnv) => Promise<void>): void {
    this.events.post(name, async () => {
      if (this.epoch !== null) await this.withEnv(handle);
    });
  }

  /**
   * Runs `handle` with a fresh request batch and sends the batch afterwards (also when `handle`
   * failed half-way: what was written must be told). A fenced write resigns and re-reads /controller.
   */
  private async withEnv(handle: (env: StateMachineEnv) => Promise<void>, epoch = this.epoch): Promise<void> {
    if (epoch === null) return;
    const batch = new ControllerRequestBatch(this.ctx);
    const env: StateMachineEnv = {
      ctx: this.ctx,
      zk: this.zk(),
      epoch,
      batch,
      log: this.log,
      uncleanDefault: this.config.get('unclean.leader.election.enable'),
      retryLater: (tps) => this.retryLater(tps),
    };
    try {
      await handle(env);
    } catch (err) {
      if (!(err instanceof ControllerMovedError)) throw err;
      this.log.warn(`Controller ${this.brokerId} was fenced: ${err.message}`);
      this.resign();
      await this.onControllerChange();
      return;
    } finally {
      if (this.channels !== null && this.epoch === epoch && !batch.isEmpty)
        batch.sendRequests({ controllerId: this.brokerId, controllerEpoch: epoch.epoch }, this.channels, this.log);
    }
  }

  private retryLater(tps: readonly TopicPartition[]): void {
    const first = this.retryScheduled.size === 0;
    for (const tp of tps) this.retryScheduled.set(tpKey(tp.topic, tp.partition), tp);
    if (!first) return;
    this.postActive('PartitionStateRetry', async (env) => {
      const retry = [...this.retryScheduled.values()];
      this.retryScheduled.clear();
      // One more try; a second loss waits for the next event that touches the partition.
      const noRetry: StateMachineEnv = { ...env, retryLater: () => {} };
      await electOfflinePartitions(noRetry, retry);
      await removeDeadReplicasFromIsr(noRetry);
    });
  }

  // ---- event handlers --------------------------------------------------------------------------

  private addBroker(id: number, b: LiveBroker): void {
    this.ctx.brokers.set(id, b);
    const endpoint =
      b.registration.endpoints.find((e) => e.listenerName === this.config.interBrokerListener.name) ??
      b.registration.endpoints[0];
    if (endpoint !== undefined) this.channels?.addBroker(id, endpoint);
  }

  /** Kafka's BrokerChange: onBrokerStartup for new (or bounced) brokers, onBrokerFailure for dead ones. */
  private async onBrokerChange(env: StateMachineEnv): Promise<void> {
    const current = await readBrokers(env.zk, this.brokerWatch);
    const dead: number[] = [];
    const added: number[] = [];
    for (const [id, b] of this.ctx.brokers) {
      const now = current.get(id);
      if (now === undefined || now.epoch !== b.epoch) dead.push(id);
    }
    for (const id of dead) {
      this.ctx.brokers.delete(id);
      this.ctx.shuttingDown.delete(id);
      this.channels?.removeBroker(id);
    }
    for (const [id, b] of current)
      if (!this.ctx.brokers.has(id)) {
        this.addBroker(id, b);
        added.push(id);
      }
    if (dead.length === 0 && added.length === 0) return;
    this.log.info(
      `Broker change: new [${added.join(',')}], dead or bounced [${dead.join(',')}], live [${[...this.ctx.brokers.keys()].join(',')}]`,
    );
    // onBrokerFailure: elections for partitions that lost their leader, then ISR shrinks.
    await electOfflinePartitions(env);
    await removeDeadReplicasFromIsr(env);
    if (added.length > 0) {
      // onBrokerStartup: the new brokers learn every partition and their replicas' states.
      env.batch.addUpdateMetadata(added, 'all');
      for (const id of added) for (const tp of this.ctx.partitionsOnBroker(id)) env.batch.addLeaderAndIsr([id], tp);
      await reconcile(env);
    }
    env.batch.addUpdateMetadata(this.ctx.brokers.keys(), []);
  }

  /** Kafka's TopicChange + PartitionModifications: new topics and partitions get states and leaders. */
  private async onTopicChange(env: StateMachineEnv): Promise<void> {
    const created = await this.loadTopics(env, false);
    await initializeNewPartitions(env, created);
    await this.onTopicDeletion(env);
  }

  /**
   * Reads the topic list and every assignment (watching both), gives id-less topics an id, and
   * records new topics and partitions in the context; their existing states are loaded. Returns the
   * partitions found without a state.
   */
  private async loadTopics(env: StateMachineEnv, failover: boolean): Promise<TopicPartition[]> {
    const names = (await env.zk.children(ZkPaths.topics, this.topicWatch)) ?? [];
    const present = new Set(names);
    for (const name of [...this.ctx.topics.keys()]) if (!present.has(name)) this.ctx.removeTopic(name);
    const stateless: TopicPartition[] = [];
    for (const name of names) {
      let assignment;
      try {
        assignment = await readAssignment(env.zk, name, this.topicWatch);
      } catch (err) {
        this.log.error(`Cannot read the assignment of topic ${name}: ${String(err)}`);
        continue;
      }
      if (assignment === null) continue;
      let known = this.ctx.topics.get(name);
      if (known !== undefined && assignment.topicId !== null && known.topicId !== assignment.topicId) {
        // deleted and created again under the same name
        this.ctx.removeTopic(name);
        known = undefined;
      }
      const from = known?.replicas.length ?? 0;
      if (known !== undefined && from >= assignment.replicas.length && known.topicId === assignment.topicId) continue;
      let topicId = assignment.topicId;
      if (topicId === null) {
        topicId = this.unusedTopicId();
        await setTopicId(env.zk, env.epoch, name, assignment, topicId);
        this.log.info(`Assigned topic id ${topicId} to topic ${name}`);
      }
      this.ctx.topics.set(name, { name, topicId, replicas: assignment.replicas });
      // a reassignment left in progress by a previous controller resumes
      for (const [partition, adding] of assignment.addingReplicas ?? new Map<number, readonly number[]>()) {
        const removing = assignment.removingReplicas?.get(partition) ?? [];
        const replicas = assignment.replicas[partition] ?? [];
        if (adding.length === 0 && removing.length === 0) continue;
        this.ctx.reassignments.set(tpKey(name, partition), {
          tp: { topic: name, partition },
          target: replicas.filter((id) => !removing.includes(id)),
          adding,
          removing,
          fromZnode: true,
        });
      }
      for (let partition = failover ? 0 : from; partition < assignment.replicas.length; partition++) {
        const state = await readPartitionState(env.zk, name, partition);
        if (state === null) stateless.push({ topic: name, partition });
        else this.ctx.setState(name, partition, state);
      }
    }
    return stateless;
  }

  /** Kafka's TopicDeletion: StopReplica(delete) to the replicas, then the znodes go. */
  private async onTopicDeletion(env: StateMachineEnv): Promise<void> {
    const marked = (await env.zk.children(ZkPaths.deleteTopics, this.deletionWatch)) ?? [];
    if (marked.length === 0) return;
    if (!this.config.get('delete.topic.enable')) {
      this.log.info(`Topic deletion is disabled (delete.topic.enable=false): dropping marks [${marked.join(',')}]`);
      for (const name of marked) await env.zk.remove(ZkPaths.deleteTopic(name));
      return;
    }
    for (const name of marked) {
      const topic = this.ctx.topics.get(name);
      if (topic === undefined) {
        if (!(await env.zk.exists(ZkPaths.topic(name)))) await env.zk.remove(ZkPaths.deleteTopic(name));
        continue; // not loaded yet: the TopicChange event that loads it runs the deletion again
      }
      const tps = topic.replicas.map((_, partition) => ({ topic: name, partition }));
      const batch = new ControllerRequestBatch(this.ctx);
      batch.addUpdateMetadataDeleting(tps);
      for (const tp of tps)
        for (const replica of this.ctx.replicas(tp.topic, tp.partition)) batch.addStopReplica(replica, tp, true);
      if (this.channels !== null)
        batch.sendRequests({ controllerId: this.brokerId, controllerEpoch: env.epoch.epoch }, this.channels, this.log);
      await deleteTopicZnodes(env.zk, env.epoch, name, topic.replicas.length);
      this.ctx.removeTopic(name);
      this.log.info(`Deleted topic ${name}`);
    }
    env.batch.addUpdateMetadata(this.ctx.brokers.keys(), []);
  }

  /** Kafka's IsrChangeNotification: re-read the states the leaders changed and tell every broker. */
  private async onIsrChange(env: StateMachineEnv): Promise<void> {
    const changed = await takeIsrChangeNotifications(env.zk, this.isrChangeWatch);
    const seen = new Map<string, TopicPartition>();
    for (const tp of changed) seen.set(tpKey(tp.topic, tp.partition), tp);
    const refreshed: TopicPartition[] = [];
    for (const tp of seen.values()) {
      if (tp.partition >= (this.ctx.topics.get(tp.topic)?.replicas.length ?? 0)) continue;
      const state = await readPartitionState(env.zk, tp.topic, tp.partition);
      if (state === null) continue;
      this.ctx.setState(tp.topic, tp.partition, state);
      refreshed.push(tp);
    }
    if (refreshed.length > 0) env.batch.addUpdateMetadata(this.ctx.brokers.keys(), refreshed);
    for (const tp of refreshed) await maybeCompleteReassignment(env, tp);
  }

  /**
   * /admin/reassign_partitions (Kafka's ZkPartitionReassignment): starts a reassignment per entry; an
   * entry that is invalid or already in place leaves the znode at once, the others when they complete.
   */
  private async onReassignZnode(env: StateMachineEnv): Promise<void> {
    if (!(await env.zk.exists(REASSIGN_PATH, this.reassignWatch))) return;
    const node = await env.zk.get(REASSIGN_PATH);
    if (node === null) return;
    let requests: ReturnType<typeof decodeReassignZnode> = [];
    try {
      requests = decodeReassignZnode(node.data);
    } catch {
      this.log.error(`Ignoring malformed ${REASSIGN_PATH}: ${node.data}`);
    }
    const done: TopicPartition[] = [];
    for (const { tp, target } of requests) {
      const inProgress = this.ctx.reassignments.get(tpKey(tp.topic, tp.partition));
      if (inProgress !== undefined && inProgress.target.join(',') === target.join(',')) continue;
      const current = this.ctx.replicas(tp.topic, tp.partition);
      if (inProgress === undefined && current.join(',') === target.join(',')) {
        done.push(tp);
        continue;
      }
      const r = await startReassignment(env, tp, target, true);
      if (r.errorCode !== ErrorCode.NONE) {
        this.log.error(
          `Reassignment of ${tp.topic}-${tp.partition} to [${target.join(',')}] refused: ${r.errorMessage}`,
        );
        done.push(tp);
      }
    }
    if (done.length > 0 || requests.length === 0) await removeFromReassignZnode(env, ...done);
  }

  /** The admin znode of 0.8.2's kafka-preferred-replica-election.sh (Kafka deletes it when done). */
  private async onPreferredElection(env: StateMachineEnv): Promise<void> {
    const node = await env.zk.get(PREFERRED_ELECTION_PATH, this.preferredWatch);
    if (node === null) return;
    let tps: TopicPartition[] = [];
    try {
      tps = decodePartitionList(node.data);
    } catch {
      this.log.error(`Ignoring malformed ${PREFERRED_ELECTION_PATH}: ${node.data}`);
    }
    const known = tps.filter((tp) => tp.partition < (this.ctx.topics.get(tp.topic)?.replicas.length ?? 0));
    await electPreferredReplicas(env, known);
    await env.zk.remove(PREFERRED_ELECTION_PATH);
    await env.zk.exists(PREFERRED_ELECTION_PATH, this.preferredWatch);
  }

  /** auto.leader.rebalance.enable: every leader.imbalance.check.interval.seconds, Kafka's check. */
  private scheduleAutoRebalance(): void {
    if (!this.config.get('auto.leader.rebalance.enable')) return;
    const intervalMs = Number(this.config.get('leader.imbalance.check.interval.seconds')) * 1000;
    this.rebalanceTimer = setTimeout(() => {
      this.rebalanceTimer = null;
      this.postActive('AutoPreferredReplicaLeaderElection', async (env) => {
        await this.autoRebalance(env);
        this.scheduleAutoRebalance();
      });
    }, intervalMs);
    this.rebalanceTimer.unref();
  }

  private async autoRebalance(env: StateMachineEnv): Promise<void> {
    const threshold = Number(this.config.get('leader.imbalance.per.broker.percentage'));
    const partitions = [...this.ctx.allPartitions()].map((tp) => ({
      tp,
      assignment: this.ctx.replicas(tp.topic, tp.partition),
      leader: this.ctx.state(tp.topic, tp.partition)?.leader ?? -1,
    }));
    const live = this.ctx.liveBrokerIds();
    for (const [broker, ratio] of leaderImbalance(partitions)) {
      if (ratio <= threshold || !live.has(broker)) continue;
      const candidates = partitions.filter((p) => p.assignment[0] === broker && p.leader !== broker).map((p) => p.tp);
      this.log.info(`Leader imbalance of broker ${broker} is ${ratio.toFixed(1)}%: preferred replica election`);
      await electPreferredReplicas(env, candidates);
    }
  }

  private unusedTopicId(): string {
    const used = new Set([...this.ctx.topics.values()].map((t) => t.topicId));
    for (;;) {
      const id = randomKafkaUuid();
      if (!used.has(id)) return id;
    }
  }
}
