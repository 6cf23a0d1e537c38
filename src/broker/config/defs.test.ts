import { describe, expect, it } from 'vitest';
import { BROKER_KEY_DEFS, brokerKeyDef } from './broker-defs.js';
import { defaultOf } from './parse-key.js';
import { TOPIC_KEY_DEFS, topicKeyDef } from './topic-defs.js';

describe('the config tables', () => {
  it('have defaults that parse and pass their own validators', () => {
    for (const [name, def] of [...BROKER_KEY_DEFS, ...TOPIC_KEY_DEFS]) {
      const parsed = defaultOf(def);
      if (def.default === null) expect(parsed, name).toBeNull();
      else {
        expect(parsed, name).not.toBeNull();
        if (parsed !== null) expect(def.validator?.check(parsed.value), name).toBeUndefined();
      }
    }
  });

  it('have a one-line doc for every key', () => {
    for (const [name, def] of [...BROKER_KEY_DEFS, ...TOPIC_KEY_DEFS]) {
      expect(def.doc.length, name).toBeGreaterThan(10);
      expect(def.doc, name).not.toContain('\n');
    }
  });

  it('link broker keys and topic configs both ways', () => {
    for (const [name, def] of TOPIC_KEY_DEFS) {
      for (const synonym of def.synonyms) {
        expect(brokerKeyDef(synonym)?.topicConfig, `${name} ← ${synonym}`).toBe(name);
        expect(brokerKeyDef(synonym)?.type === 'int' || brokerKeyDef(synonym)?.type === def.type, synonym).toBe(true);
      }
    }
    for (const [name, def] of BROKER_KEY_DEFS) {
      if (def.topicConfig !== undefined) expect(topicKeyDef(def.topicConfig)?.synonyms, name).toContain(name);
    }
  });

  it('give a topic config the default of its first broker synonym', () => {
    for (const [name, def] of TOPIC_KEY_DEFS) {
      const synonym = brokerKeyDef(def.synonyms[0] ?? '');
      if (synonym !== undefined && synonym.default !== null) expect(def.default, name).toBe(synonym.default);
    }
  });

  it('carry the keys the issue names', () => {
    for (const key of [
      'broker.id',
      'listeners',
      'advertised.listeners',
      'port',
      'host.name',
      'advertised.host.name',
      'log.dir',
      'log.dirs',
      'num.partitions',
      'default.replication.factor',
      'auto.create.topics.enable',
      'delete.topic.enable',
      'message.max.bytes',
      'socket.request.max.bytes',
      'max.connections',
      'max.connections.per.ip',
      'connections.max.idle.ms',
      'min.insync.replicas',
      'zookeeper.connect',
      'group.initial.rebalance.delay.ms',
      'offsets.topic.num.partitions',
      'offsets.retention.minutes',
      'zookeeper.session.timeout.ms',
      'replica.lag.time.max.ms',
      'num.replica.fetchers',
      'unclean.leader.election.enable',
      'controlled.shutdown.enable',
      'broker.rack',
      'num.network.threads',
      'log.flush.offset.checkpoint.interval.ms',
    ]) {
      expect(brokerKeyDef(key), key).toBeDefined();
    }
  });
});

describe('docs/configuration.md', () => {
  it('lists every broker key and topic config', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    for (const [name, def] of [...BROKER_KEY_DEFS, ...TOPIC_KEY_DEFS]) {
      const row = doc
        .split('\n')
        .find((line) => new RegExp(`^\\|\\s*\`${name.replaceAll('.', '\\.')}\`\\s*\\|`).test(line));
      expect(row, name).toBeDefined();
      expect(row?.includes('No effect in Samsa'), name).toBe(def.noEffect !== undefined);
    }
  });
});
