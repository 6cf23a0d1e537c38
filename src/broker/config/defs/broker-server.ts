/** Broker identity, cluster membership through ZooKeeper, and protocol versions. */
import { metadataVersion } from '../metadata-version.js';
import type { BrokerKeyDef } from '../types.js';
import { atLeast } from '../validators.js';

export const SERVER_CONFIGS = {
  'broker.id': {
    type: 'int',
    default: '-1',
    importance: 'high',
    doc: 'This broker’s id, unique in the cluster; -1 has one generated above reserved.broker.max.id.',
    example: '0',
  },
  'broker.id.generation.enable': {
    type: 'boolean',
    default: 'true',
    importance: 'medium',
    doc: 'Whether broker.id=-1 may be replaced by a generated id.',
  },
  'reserved.broker.max.id': {
    type: 'int',
    default: '1000',
    importance: 'medium',
    doc: 'Largest id a user may configure; generated ids start above it.',
    validator: atLeast(0),
  },
  'broker.rack': {
    type: 'string',
    default: null,
    importance: 'medium',
    doc: 'The rack (or zone) of this broker, used to spread a partition’s replicas across racks.',
    example: 'rack-a',
  },
  'zookeeper.connect': {
    type: 'string',
    default: null,
    importance: 'high',
    doc: 'ZooKeeper connection string host:port[,host:port...][/chroot]; absent, the broker runs standalone.',
    example: 'localhost:2181',
  },
  'zookeeper.session.timeout.ms': {
    type: 'int',
    default: '18000',
    importance: 'high',
    doc: 'ZooKeeper session timeout; a broker silent for this long loses its registration.',
  },
  'zookeeper.connection.timeout.ms': {
    type: 'int',
    default: null,
    importance: 'high',
    doc: 'How long to wait for a ZooKeeper connection; unset, zookeeper.session.timeout.ms.',
    example: '18000',
  },
  'zookeeper.max.in.flight.requests': {
    type: 'int',
    default: '10',
    importance: 'high',
    doc: 'Requests the broker keeps outstanding to ZooKeeper before it waits.',
    validator: atLeast(1),
  },
  'zookeeper.set.acl': {
    type: 'boolean',
    default: 'false',
    importance: 'high',
    doc: 'Whether the broker creates its znodes with secure ACLs.',
    noEffect: 'Samsa connects to ZooKeeper without authentication and creates open znodes.',
  },
  'inter.broker.protocol.version': {
    type: 'string',
    default: '3.9-IV0',
    importance: 'medium',
    doc: 'Protocol version brokers use with each other, pinned during rolling upgrades.',
    validator: metadataVersion,
    noEffect: 'Samsa brokers always use the newest versions they share.',
  },
} as const satisfies Readonly<Record<string, BrokerKeyDef>>;
