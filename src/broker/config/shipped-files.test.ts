import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BrokerConfig } from './broker-config.js';
import { parseProperties } from './properties.js';

const configDir = new URL('../../../config/', import.meta.url);

describe('the shipped config files', () => {
  it('server.properties is a standalone broker 0 on 9092', async () => {
    const config = await BrokerConfig.load(new URL('server.properties', configDir).pathname);
    expect(config.warnings).toEqual([]);
    expect(config.brokerId).toBe(0);
    expect(config.listeners).toMatchObject([{ name: 'PLAINTEXT', host: '', port: 9092 }]);
    expect(config.logDirs).toEqual(['/tmp/kafka-logs']);
    expect(config.zookeeperConnect).toBeNull();
    expect(config.get('num.partitions')).toBe(1);
  });

  it.each([
    [1, 9093],
    [2, 9094],
  ])('server-%i.properties is broker %i on %i in the ZooKeeper cluster', async (id, port) => {
    const config = await BrokerConfig.load(new URL(`server-${id}.properties`, configDir).pathname);
    expect(config.warnings).toEqual([]);
    expect(config.brokerId).toBe(id);
    expect(config.listeners).toMatchObject([{ port }]);
    expect(config.logDirs).toEqual([`/tmp/kafka-logs-${id}`]);
    expect(config.zookeeperConnect).toBe('localhost:2181');
    expect(config.zookeeperConnectionTimeoutMs).toBe(6000);
  });

  it('server.properties joins the cluster with one override', async () => {
    const path = new URL('server.properties', configDir).pathname;
    const config = await BrokerConfig.load(path, ['zookeeper.connect=localhost:2181']);
    expect(config.zookeeperConnect).toBe('localhost:2181');
  });

  it('zookeeper.properties has what the walkthrough needs', () => {
    const text = readFileSync(new URL('zookeeper.properties', configDir), 'utf8');
    expect(Object.fromEntries(parseProperties(text).map((e) => [e.key, e.value]))).toEqual({
      dataDir: '/tmp/zookeeper',
      clientPort: '2181',
      maxClientCnxns: '0',
      'admin.enableServer': 'false',
    });
  });

  it('a file written for Kafka 0.8.2 loads, with notes for the thread and buffer settings', () => {
    const kafka082 = [
      'broker.id=0',
      'port=9092',
      '#host.name=localhost',
      'num.network.threads=3',
      'num.io.threads=8',
      'socket.send.buffer.bytes=102400',
      'socket.receive.buffer.bytes=102400',
      'socket.request.max.bytes=104857600',
      'log.dirs=/tmp/kafka-logs',
      'num.partitions=1',
      'num.recovery.threads.per.data.dir=1',
      '#log.flush.interval.messages=10000',
      'log.retention.hours=168',
      'log.segment.bytes=1073741824',
      'log.retention.check.interval.ms=300000',
      'log.cleaner.enable=false',
      'zookeeper.connect=localhost:2181',
      'zookeeper.connection.timeout.ms=6000',
    ].join('\n');
    const config = BrokerConfig.parse(kafka082);
    expect(config.warnings.map((w) => w.split(' ')[1])).toEqual([
      'num.network.threads',
      'num.io.threads',
      'socket.send.buffer.bytes',
      'socket.receive.buffer.bytes',
      'num.recovery.threads.per.data.dir',
    ]);
    expect(config.get('log.cleaner.enable')).toBe(false);
  });
});
