// librdkafka's own regression tests, default scenario (runner.ts), against a live broker. tests.allow
// lists what must pass; FINDINGS.md says why every other test fails or skips. See README.md beside this file.
import { join } from 'node:path';
import { repoRoot } from '../harness/broker.js';
import { defineLibrdkafkaSuite } from './runner.js';

defineLibrdkafkaSuite({
  scenario: 'default',
  dir: join(repoRoot, 'compat-tests/librdkafka-suite'),
  // librdkafka's tests expect Kafka's defaults with 4 partitions for auto-created topics (their README).
  broker: { 'num.partitions': 4, 'auto.create.topics.enable': true },
});
