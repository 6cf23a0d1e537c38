import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Kafka's own message definitions (`common/message/*.json` inside the kafka-clients jar), fetched from
 * Maven Central at test time into `.cache/kafka-json/<version>/` and never committed. The files are
 * JSON with `//` comments.
 */
export interface KafkaJsonField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  flexibleVersions?: string;
  fields?: KafkaJsonField[];
}

export interface KafkaJsonMessage {
  apiKey?: number;
  type: string;
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: KafkaJsonField[];
  commonStructs?: { name: string; versions: string; fields: KafkaJsonField[] }[];
}

const root = resolve(import.meta.dirname, '..', '..');

/** The directory holding `<Name>.json` for one kafka-clients version, fetching the jar if needed. */
export function kafkaMessageDir(version: string): string {
  const dir = join(root, '.cache', 'kafka-json', version);
  const messages = join(dir, 'common', 'message');
  if (existsSync(messages) && readdirSync(messages).length > 0) return messages;
  const artifact = `org.apache.kafka:kafka-clients:${version}`;
  execFileSync('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${artifact}`, '-Dtransitive=false'], {
    stdio: 'inherit',
  });
  const jar = join(homedir(), '.m2/repository/org/apache/kafka/kafka-clients', version, `kafka-clients-${version}.jar`);
  mkdirSync(dir, { recursive: true });
  execFileSync('jar', ['xf', jar, 'common/message'], { cwd: dir });
  return messages;
}

/** Strips `//` comments outside strings. */
function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out;
}

export function loadKafkaMessage(dir: string, name: string): KafkaJsonMessage | undefined {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) return undefined;
  return JSON.parse(stripComments(readFileSync(file, 'utf8'))) as KafkaJsonMessage;
}
