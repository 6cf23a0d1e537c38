import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadMetaProperties, saveMetaProperties } from './meta-properties.js';
import { scratchDirs } from './test-support.js';

const scratch = scratchDirs();

describe('meta.properties', () => {
  it('reads what Kafka writes, and a pre-0.10.1 file without cluster.id', () => {
    const dir = scratch();
    fs.writeFileSync(
      `${dir}/meta.properties`,
      '#\n#Tue Nov 24 18:41:48 UTC 2026\ncluster.id=MkU3OEVBNTcwNTJENDM2Qg\nversion=0\nbroker.id=3\ndirectory.id=xyz\n',
    );
    expect(loadMetaProperties(dir)).toEqual({
      brokerId: 3,
      clusterId: 'MkU3OEVBNTcwNTJENDM2Qg',
      extra: new Map([['directory.id', 'xyz']]),
    });
    fs.writeFileSync(`${dir}/meta.properties`, 'version=0\nbroker.id=1001\n');
    expect(loadMetaProperties(dir)).toEqual({ brokerId: 1001, clusterId: null, extra: new Map() });
    expect(loadMetaProperties(scratch())).toBeNull();
  });

  it('writes version 0, broker.id, cluster.id and kept keys, atomically', () => {
    const dir = scratch();
    const meta = { brokerId: 7, clusterId: 'MkU3OEVBNTcwNTJENDM2Qg', extra: new Map([['directory.id', 'd']]) };
    saveMetaProperties(dir, meta);
    expect(loadMetaProperties(dir)).toEqual(meta);
    const lines = fs
      .readFileSync(`${dir}/meta.properties`, 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toEqual(['version=0', 'broker.id=7', 'cluster.id=MkU3OEVBNTcwNTJENDM2Qg', 'directory.id=d']);
    expect(fs.existsSync(`${dir}/meta.properties.tmp`)).toBe(false);
  });

  it.each([
    ['version=1\nnode.id=1\ncluster.id=x\n', 'it is version 1, written by a KRaft-mode Kafka'],
    ['broker.id=1\n', 'version is missing, not 0'],
    ['version=0\n', 'broker.id is missing'],
    ['version=0\nbroker.id=one\n', 'broker.id is "one", not an integer'],
  ])('refuses %j, naming the file', (text, reason) => {
    const dir = scratch();
    fs.writeFileSync(`${dir}/meta.properties`, text);
    expect(() => loadMetaProperties(dir)).toThrow(
      expect.objectContaining({
        code: 'META_PROPERTIES_INVALID',
        message: expect.stringContaining(`${dir}/meta.properties is not usable: ${reason}`),
      }),
    );
  });
});
