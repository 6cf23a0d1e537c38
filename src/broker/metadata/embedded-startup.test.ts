import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openEmbeddedMetadata, type EmbeddedStartupOptions } from './embedded-startup.js';
import { loadMetaProperties } from './meta-properties.js';
import { RecordingLogger, broker, scratchDirs, topicRequest } from './test-support.js';

const scratch = scratchDirs();

function start(logDirs: string[], brokerId: number, extra: Partial<EmbeddedStartupOptions> = {}) {
  return openEmbeddedMetadata({ logDirs, brokerId, logger: new RecordingLogger(), ...extra });
}

describe('openEmbeddedMetadata', () => {
  it('starts a new cluster and writes meta.properties into every log dir', async () => {
    const root = scratch();
    const dirs = [`${root}/a`, `${root}/b`];
    const { store, brokerId, clusterId } = await start(dirs, 0);
    expect(brokerId).toBe(0);
    expect(clusterId).toBe(store.clusterId);
    expect(fs.existsSync(`${root}/a/samsa-metadata.json`)).toBe(true);
    expect(fs.existsSync(`${root}/b/samsa-metadata.json`)).toBe(false);
    for (const dir of dirs) expect(loadMetaProperties(dir)).toEqual({ brokerId: 0, clusterId, extra: new Map() });
  });

  it('comes back with the same cluster, broker and topics', async () => {
    const dir = scratch();
    const first = await start([dir], 0);
    await first.store.registerBroker(broker(0));
    await first.store.createTopics([topicRequest('t')]);
    const topic = first.store.topic('t');
    await first.store.close();
    const second = await start([dir], 0);
    expect(second.clusterId).toBe(first.clusterId);
    expect(second.store.topic('t')).toEqual(topic);
  });

  it('generates broker.id 1001 for -1 and keeps it across restarts', async () => {
    const root = scratch();
    const dirs = [`${root}/a`, `${root}/b`];
    expect((await start(dirs, -1)).brokerId).toBe(1001);
    expect((await start(dirs, -1)).brokerId).toBe(1001);
    expect(loadMetaProperties(`${root}/b`)?.brokerId).toBe(1001);
  });

  it('adds cluster.id to an old meta.properties and completes a crash before meta.properties', async () => {
    const root = scratch();
    const dirs = [`${root}/a`, `${root}/b`];
    const { clusterId } = await start(dirs, 4);
    fs.writeFileSync(`${root}/a/meta.properties`, 'version=0\nbroker.id=4\n');
    fs.rmSync(`${root}/b/meta.properties`);
    await start(dirs, 4);
    for (const dir of dirs) expect(loadMetaProperties(dir)?.clusterId).toBe(clusterId);
  });

  it('refuses a configured broker.id other than the stored one', async () => {
    const dir = scratch();
    await start([dir], 1);
    await expect(start([dir], 2)).rejects.toMatchObject({
      code: 'INCONSISTENT_BROKER_ID',
      message: expect.stringContaining("Configured broker.id 2 doesn't match stored broker.id 1 in meta.properties"),
    });
  });

  it('refuses log dirs that disagree', async () => {
    const root = scratch();
    await start([`${root}/a`], 1);
    await start([`${root}/b`], 2);
    await expect(start([`${root}/a`, `${root}/b`], -1)).rejects.toMatchObject({
      code: 'INCONSISTENT_BROKER_ID',
      message: expect.stringContaining('BrokerMetadata is not consistent across log.dirs'),
    });
  });

  it('refuses a meta.properties of another cluster', async () => {
    const dir = scratch();
    await start([dir], 1);
    fs.writeFileSync(`${dir}/meta.properties`, 'version=0\nbroker.id=1\ncluster.id=OtherClusterAAAAAAAAAAA\n');
    await expect(start([dir], 1)).rejects.toMatchObject({
      code: 'INCONSISTENT_CLUSTER_ID',
      message: expect.stringContaining("doesn't match stored clusterId OtherClusterAAAAAAAAAAA in meta.properties"),
    });
  });

  it('refuses to start empty when the metadata file is gone but the dirs were used', async () => {
    const root = scratch();
    await start([`${root}/a`, `${root}/b`], 1);
    fs.rmSync(`${root}/a/samsa-metadata.json`);
    await expect(start([`${root}/a`, `${root}/b`], 1)).rejects.toMatchObject({
      code: 'METADATA_MISSING',
      message: expect.stringContaining(`Metadata file ${root}/a/samsa-metadata.json does not exist`),
    });
    expect(fs.existsSync(`${root}/a/samsa-metadata.json`)).toBe(false);
  });

  it('checks broker.id against reserved.broker.max.id and broker.id.generation.enable', async () => {
    const dir = scratch();
    await expect(start([dir], 1001)).rejects.toMatchObject({ code: 'INVALID_BROKER_ID' });
    await expect(start([dir], -2)).rejects.toMatchObject({ code: 'INVALID_BROKER_ID' });
    await expect(start([dir], -1, { brokerIdGenerationEnable: false })).rejects.toMatchObject({
      code: 'INVALID_BROKER_ID',
    });
    expect((await start([dir], 1001, { brokerIdGenerationEnable: false })).brokerId).toBe(1001);
  });
});
