import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RequestHeader, ResponseHeader } from '../../src/protocol/messages/headers.js';
import type { ApiDeclaration } from '../../src/protocol/schema/api.js';
import { compareMessage } from './compare.js';
import { kafkaMessageDir, loadKafkaMessage } from './kafka-json.js';

// Every declaration file against Kafka's own JSON definitions: 3.9 for the low versions and the
// ZooKeeper-era inter-broker APIs, 4.1 for the high versions. Files are loaded one by one so a broken
// or missing declaration fails its own test, not the whole suite.
const OLDER = '3.9.2';
const NEWER = '4.1.2';
const olderDir = kafkaMessageDir(OLDER);
const newerDir = kafkaMessageDir(NEWER);
const messagesDir = resolve(import.meta.dirname, '../../src/protocol/messages');
const files = readdirSync(messagesDir).filter((f) => /^\d\d-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));

function sources(name: string) {
  return { older: loadKafkaMessage(olderDir, name), newer: loadKafkaMessage(newerDir, name) };
}

describe(`declarations agree with kafka-clients ${OLDER} and ${NEWER}`, () => {
  it('there are declarations to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, async () => {
      const mod = (await import(join(messagesDir, file))) as Record<string, ApiDeclaration>;
      const decls = Object.values(mod);
      expect(decls).toHaveLength(1);
      const decl = decls[0]!;
      expect(file.startsWith(String(decl.apiKey).padStart(2, '0'))).toBe(true);
      const out: string[] = [];
      compareMessage(decl, 'request', sources(`${decl.name}Request`), out);
      compareMessage(decl, 'response', sources(`${decl.name}Response`), out);
      expect(out).toEqual([]);
    });
  }

  it('RequestHeader and ResponseHeader', () => {
    const out: string[] = [];
    compareMessage(RequestHeader, 'request', { older: loadKafkaMessage(olderDir, 'RequestHeader') }, out);
    compareMessage(ResponseHeader, 'response', { older: loadKafkaMessage(olderDir, 'ResponseHeader') }, out);
    expect(out).toEqual([]);
  });
});
