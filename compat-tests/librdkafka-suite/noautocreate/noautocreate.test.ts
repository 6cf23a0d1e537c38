// librdkafka's own regression tests of the `noautocreate` scenario (tests/scenarios/noautocreate.json: a
// broker with auto.create.topics.enable=false), run by ../runner.ts. See ../README.md.
import { join } from 'node:path';
import { repoRoot } from '../../harness/broker.js';
import { defineLibrdkafkaSuite } from '../runner.js';

defineLibrdkafkaSuite({
  scenario: 'noautocreate',
  dir: join(repoRoot, 'compat-tests/librdkafka-suite/noautocreate'),
  broker: { 'num.partitions': 4, 'auto.create.topics.enable': false },
});
