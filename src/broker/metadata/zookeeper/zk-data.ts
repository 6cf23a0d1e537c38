/**
 * Kafka's ZooKeeper-mode znodes and their JSON, as Kafka 3.x writes them (KafkaZkClient, ZkData.scala)
 * and as the 0.8.2 tools read them: UTF-8, no spaces, every number an int32 (timestamps are strings,
 * since 0.8.2 parses numbers with `_.toInt`).
 *
 * /cluster/id                                   {"version":"1","id":"<22-char uuid>"}
 * /brokers/seqid                                empty; its data version is the broker id sequence
 * /brokers/ids/<id>            (ephemeral)      {"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},
 *                                                "endpoints":["PLAINTEXT://h:9092"],"rack":null,"jmx_port":-1,
 *                                                "port":9092,"host":"h","version":4,"timestamp":"1700000000000"}
 * /brokers/topics/<t>                           {"partitions":{"0":[1]},"topic_id":"<uuid>","adding_replicas":{},
 *                                                "removing_replicas":{},"version":3}
 *                                               (0.8.2 writes {"version":1,"partitions":{...}} without topic_id;
 *                                                the controller adds one, as Kafka 2.8+ does)
 * /brokers/topics/<t>/partitions/<p>/state      {"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}
 *                                               Stat.version is the partition epoch.
 * /config/topics/<t>                            {"version":1,"config":{"retention.ms":"1000"}}
 * /config/changes/config_change_<seq10>         {"version":2,"entity_path":"topics/<t>"} (0.8.2: "\"<t>\"")
 * /controller                  (ephemeral)      {"version":1,"brokerid":1,"timestamp":"1700000000000"}
 * /controller_epoch                             1
 * /admin/delete_topics/<t>                      empty
 */

export const ZkPaths = {
  clusterId: '/cluster/id',
  brokerSeqId: '/brokers/seqid',
  brokerIds: '/brokers/ids',
  broker: (id: number) => `/brokers/ids/${id}`,
  topics: '/brokers/topics',
  topic: (t: string) => `/brokers/topics/${t}`,
  partitions: (t: string) => `/brokers/topics/${t}/partitions`,
  partition: (t: string, p: number) => `/brokers/topics/${t}/partitions/${p}`,
  partitionState: (t: string, p: number) => `/brokers/topics/${t}/partitions/${p}/state`,
  topicConfigs: '/config/topics',
  topicConfig: (t: string) => `/config/topics/${t}`,
  configChanges: '/config/changes',
  configChangePrefix: '/config/changes/config_change_',
  controller: '/controller',
  controllerEpoch: '/controller_epoch',
  deleteTopics: '/admin/delete_topics',
  deleteTopic: (t: string) => `/admin/delete_topics/${t}`,
} as const;

/** The persistent paths every broker makes sure of at startup (Kafka's ZkData.PersistentZkPaths). */
export const PERSISTENT_PATHS = [
  '/consumers',
  '/brokers/ids',
  '/brokers/topics',
  '/config/changes',
  '/config/topics',
  '/config/clients',
  '/config/users',
  '/config/brokers',
  '/config/ips',
  '/admin/delete_topics',
  '/brokers/seqid',
  '/isr_change_notification',
  '/latest_producer_id_block',
  '/log_dir_event_notification',
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parseObject(text: string, what: string): { [key: string]: Json } {
  const value = JSON.parse(text) as Json;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${what} is not a JSON object`);
  return value;
}

function intList(value: Json | undefined, what: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v)))
    throw new Error(`${what} is not a list of ints`);
  return value as number[];
}

// ---- cluster id -------------------------------------------------------------------------------

export const encodeClusterId = (id: string): string => JSON.stringify({ version: '1', id });

export function decodeClusterId(text: string): string {
  const id = parseObject(text, '/cluster/id').id;
  if (typeof id !== 'string') throw new Error('/cluster/id has no id');
  return id;
}

// ---- brokers ----------------------------------------------------------------------------------

export interface ZkBrokerInfo {
  readonly brokerId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
  readonly endpoints: readonly { listenerName: string; securityProtocol: string; host: string; port: number }[];
}

export function encodeBroker(b: ZkBrokerInfo, timestampMs: number): string {
  const protocolMap: Record<string, string> = {};
  for (const e of b.endpoints) protocolMap[e.listenerName] = e.securityProtocol;
  return JSON.stringify({
    listener_security_protocol_map: protocolMap,
    endpoints: b.endpoints.map((e) => `${e.listenerName}://${e.host}:${e.port}`),
    rack: b.rack,
    jmx_port: -1,
    port: b.port,
    host: b.host,
    version: 4,
    timestamp: String(timestampMs),
  });
}

/** Any version Kafka ever wrote: 1 (host/port only) through 5. */
export function decodeBroker(brokerId: number, text: string): ZkBrokerInfo {
  const o = parseObject(text, `/brokers/ids/${brokerId}`);
  const protocolMap = (o.listener_security_protocol_map ?? {}) as Record<string, Json>;
  const endpoints = Array.isArray(o.endpoints)
    ? o.endpoints.map((e) => {
        const m = /^([^:]+):\/\/\[?([^\]]*)\]?:(\d+)$/.exec(String(e));
        if (m === null) throw new Error(`bad endpoint ${String(e)} in /brokers/ids/${brokerId}`);
        const listenerName = m[1] as string;
        const protocol = protocolMap[listenerName];
        return {
          listenerName,
          securityProtocol: typeof protocol === 'string' ? protocol : listenerName,
          host: m[2] as string,
          port: Number(m[3]),
        };
      })
    : [];
  const host = typeof o.host === 'string' ? o.host : (endpoints[0]?.host ?? '');
  const port = typeof o.port === 'number' && o.port >= 0 ? o.port : (endpoints[0]?.port ?? -1);
  if (endpoints.length === 0) endpoints.push({ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host, port });
  return { brokerId, host, port, rack: typeof o.rack === 'string' ? o.rack : null, endpoints };
}

export const encodeController = (brokerId: number, timestampMs: number): string =>
  JSON.stringify({ version: 1, brokerid: brokerId, timestamp: String(timestampMs) });

/** The JSON form, or the bare integer older Kafka wrote. */
export function decodeController(text: string): number {
  const value = JSON.parse(text) as Json;
  if (typeof value === 'number') return value;
  const id = parseObject(text, '/controller').brokerid;
  if (typeof id !== 'number') throw new Error('/controller has no brokerid');
  return id;
}

// ---- topics -----------------------------------------------------------------------------------

export interface ZkTopicAssignment {
  /** Indexed by partition id. */
  readonly replicas: readonly (readonly number[])[];
  /** null when the writer (0.8.2's TopicCommand, Kafka before 2.8) gave none. */
  readonly topicId: string | null;
  /** Replicas being added / removed by a reassignment in progress (KIP-455), by partition id. */
  readonly addingReplicas?: ReadonlyMap<number, readonly number[]>;
  readonly removingReplicas?: ReadonlyMap<number, readonly number[]>;
}

export function encodeTopicAssignment(
  replicas: readonly (readonly number[])[],
  topicId: string,
  adding: ReadonlyMap<number, readonly number[]> = new Map(),
  removing: ReadonlyMap<number, readonly number[]> = new Map(),
): string {
  const partitions: Record<string, readonly number[]> = {};
  replicas.forEach((r, p) => (partitions[String(p)] = r));
  const byPartition = (m: ReadonlyMap<number, readonly number[]>) =>
    Object.fromEntries([...m].filter(([, r]) => r.length > 0).map(([p, r]) => [String(p), r]));
  return JSON.stringify({
    partitions,
    topic_id: topicId,
    adding_replicas: byPartition(adding),
    removing_replicas: byPartition(removing),
    version: 3,
  });
}

export function decodeTopicAssignment(topic: string, text: string): ZkTopicAssignment {
  const o = parseObject(text, `/brokers/topics/${topic}`);
  const partitions = o.partitions;
  if (partitions === null || typeof partitions !== 'object' || Array.isArray(partitions))
    throw new Error(`/brokers/topics/${topic} has no partitions map`);
  const count = Object.keys(partitions).length;
  const replicas: number[][] = [];
  for (let p = 0; p < count; p++)
    replicas.push(intList(partitions[String(p)], `/brokers/topics/${topic} partition ${p}`));
  const perPartition = (value: Json | undefined): Map<number, number[]> => {
    const out = new Map<number, number[]>();
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      for (const [p, r] of Object.entries(value)) if (Number.isInteger(Number(p))) out.set(Number(p), intList(r, p));
    return out;
  };
  return {
    replicas,
    topicId: typeof o.topic_id === 'string' ? o.topic_id : null,
    addingReplicas: perPartition(o.adding_replicas),
    removingReplicas: perPartition(o.removing_replicas),
  };
}

export interface ZkPartitionState {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  readonly controllerEpoch: number;
}

export const encodePartitionState = (s: ZkPartitionState): string =>
  JSON.stringify({
    controller_epoch: s.controllerEpoch,
    leader: s.leader,
    version: 1,
    leader_epoch: s.leaderEpoch,
    isr: s.isr,
  });

export function decodePartitionState(text: string): ZkPartitionState {
  const o = parseObject(text, 'partition state');
  const leader = o.leader;
  const leaderEpoch = o.leader_epoch;
  if (typeof leader !== 'number' || typeof leaderEpoch !== 'number') throw new Error('partition state lacks leader');
  return {
    leader,
    leaderEpoch,
    isr: intList(o.isr, 'isr'),
    controllerEpoch: typeof o.controller_epoch === 'number' ? o.controller_epoch : 0,
  };
}

export function encodeTopicConfig(configs: ReadonlyMap<string, string>): string {
  return JSON.stringify({ version: 1, config: Object.fromEntries(configs) });
}

export function decodeTopicConfig(text: string): Map<string, string> {
  const config = parseObject(text, 'topic config').config;
  const out = new Map<string, string>();
  if (config !== null && typeof config === 'object' && !Array.isArray(config))
    for (const [k, v] of Object.entries(config)) out.set(k, String(v));
  return out;
}

export const encodeConfigChange = (topic: string): string =>
  JSON.stringify({ version: 2, entity_path: `topics/${topic}` });

/** The topic a config change notification names: version 2 `topics/<t>`, or 0.8.2's bare `"<t>"`. */
export function decodeConfigChangeTopic(text: string): string | null {
  const value = JSON.parse(text) as Json;
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const path = value.entity_path;
    if (typeof path === 'string' && path.startsWith('topics/')) return path.slice('topics/'.length);
    if (value.entity_type === 'topics' && typeof value.entity_name === 'string') return value.entity_name;
  }
  return null;
}
