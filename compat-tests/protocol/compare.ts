import type { ApiDeclaration } from '../../src/protocol/schema/api.js';
import type { AnyField, PrimitiveType } from '../../src/protocol/schema/fields.js';
import { inRange, parseVersions, formatVersions, type VersionRange } from '../../src/protocol/schema/versions.js';
import { ZERO_UUID } from '../../src/protocol/primitives/uuid.js';
import type { KafkaJsonField, KafkaJsonMessage } from './kafka-json.js';

/**
 * Compares one of our declarations with Kafka's JSON definitions, version by version: at each version the
 * fields present must agree in order, name (Kafka's with the first letter lowercased), type, nullability,
 * tag, default and flexible override. Returns one line per disagreement; empty means they agree.
 */
const PRIMITIVES = new Set<string>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'uuid',
  'string',
  'bytes',
  'records',
]);

type Structs = Map<string, KafkaJsonField[]>;

export interface KafkaSources {
  /** Kafka 3.9's definition (for the low versions and the ZooKeeper-era APIs). */
  older?: KafkaJsonMessage;
  /** Kafka 4.1's definition (for the high versions). */
  newer?: KafkaJsonMessage;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function describeType(f: AnyField): string {
  if (f.kind === 'array') return f.type ? `[]${f.type}` : '[]struct';
  return f.kind === 'struct' ? 'struct' : f.type!;
}

function kafkaType(j: KafkaJsonField): string {
  if (j.type.startsWith('[]')) {
    const elem = j.type.slice(2);
    return PRIMITIVES.has(elem) ? j.type : '[]struct';
  }
  return PRIMITIVES.has(j.type) ? j.type : 'struct';
}

function kafkaChildren(j: KafkaJsonField, structs: Structs): KafkaJsonField[] {
  if (j.fields) return j.fields;
  const typeName = j.type.startsWith('[]') ? j.type.slice(2) : j.type;
  return structs.get(typeName) ?? [];
}

function typeDefault(type: PrimitiveType): unknown {
  switch (type) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
      return 'EMPTY';
    case 'records':
      return null;
    default:
      return 0;
  }
}

function kafkaDefault(j: KafkaJsonField): unknown {
  const t = kafkaType(j);
  if (j.default === undefined)
    return t.startsWith('[]') ? 'EMPTY' : t === 'struct' ? undefined : typeDefault(t as PrimitiveType);
  if (j.default === 'null') return null;
  if (t === 'bool') return j.default === true || j.default === 'true';
  if (t === 'string') return j.default;
  if (t === 'uuid' || t === 'bytes' || t.startsWith('[]')) return j.default === '' ? 'EMPTY' : j.default;
  return Number(j.default);
}

function ourDefault(f: AnyField): unknown {
  if (f.defaultValue !== undefined) {
    if (Array.isArray(f.defaultValue) && f.defaultValue.length === 0) return 'EMPTY';
    return f.defaultValue;
  }
  if (f.kind === 'array') return 'EMPTY';
  if (f.kind === 'struct') return undefined;
  return typeDefault(f.type!);
}

function rangeOf(spec: string | undefined): VersionRange {
  return parseVersions(spec ?? 'none');
}

function compareFields(
  ours: readonly AnyField[],
  theirs: KafkaJsonField[],
  structs: Structs,
  version: number,
  flexible: boolean,
  path: string,
  out: string[],
): void {
  const mine = ours.filter((f) => inRange(f.versions, version));
  const kafka = theirs.filter((j) => inRange(rangeOf(j.versions), version));
  const mineNames = mine.map((f) => f.name).join(',');
  const kafkaNames = kafka.map((j) => lowerFirst(j.name)).join(',');
  if (mineNames !== kafkaNames) {
    out.push(`v${version} ${path.replace(/\.$/, '') || '<root>'}: fields [${mineNames}] but Kafka has [${kafkaNames}]`);
    return;
  }
  mine.forEach((f, i) => {
    const j = kafka[i]!;
    const fieldPath = `${path}${f.name}`;
    const at = `v${version} ${fieldPath}`;
    if (describeType(f) !== kafkaType(j)) out.push(`${at}: type ${describeType(f)}, Kafka ${j.type}`);
    const nullable = inRange(f.nullableVersions, version);
    if (nullable !== inRange(rangeOf(j.nullableVersions), version)) {
      out.push(`${at}: nullable ${nullable}, Kafka nullableVersions ${j.nullableVersions ?? 'none'}`);
    }
    const tagged = flexible && inRange(f.taggedVersions, version);
    const kafkaTagged = flexible && inRange(rangeOf(j.taggedVersions), version);
    if (tagged !== kafkaTagged) out.push(`${at}: tagged ${tagged}, Kafka taggedVersions ${j.taggedVersions ?? 'none'}`);
    else if (tagged && f.tag !== j.tag) out.push(`${at}: tag ${f.tag}, Kafka ${j.tag}`);
    const d = ourDefault(f);
    const kd = kafkaDefault(j);
    if (kd !== undefined && d !== kd) out.push(`${at}: default ${String(d)}, Kafka ${String(kd)}`);
    const flex = f.flexibleVersions ? formatVersions(f.flexibleVersions) : undefined;
    const kflex = j.flexibleVersions !== undefined ? formatVersions(rangeOf(j.flexibleVersions)) : undefined;
    if (flex !== kflex) out.push(`${at}: flexible override ${flex ?? 'none'}, Kafka ${kflex ?? 'none'}`);
    if (f.fields) compareFields(f.fields, kafkaChildren(j, structs), structs, version, flexible, `${fieldPath}.`, out);
  });
}

function structsOf(msg: KafkaJsonMessage): Structs {
  return new Map((msg.commonStructs ?? []).map((s) => [s.name, s.fields]));
}

/** Which of Kafka's files speaks for a version: 4.1's within its range, else 3.9's. */
function sourceFor(sources: KafkaSources, version: number): KafkaJsonMessage | undefined {
  for (const msg of [sources.newer, sources.older]) {
    if (msg && inRange(parseVersions(msg.validVersions), version)) return msg;
  }
  return undefined;
}

export function compareMessage(
  decl: ApiDeclaration,
  side: 'request' | 'response',
  sources: KafkaSources,
  out: string[],
): void {
  const label = `${decl.name}${side === 'request' ? 'Request' : 'Response'}`;
  const any = sources.newer ?? sources.older;
  if (!any) {
    out.push(`${label}: Kafka has no such message`);
    return;
  }
  if (any.apiKey !== undefined && any.apiKey !== decl.apiKey)
    out.push(`${label}: api key ${decl.apiKey}, Kafka ${any.apiKey}`);
  if (sources.older) {
    const older = parseVersions(sources.older.validVersions);
    if (decl.validVersions.min !== older.min) {
      out.push(`${label}: min version ${decl.validVersions.min}, Kafka 3.9 ${older.min}`);
    }
    if (decl.validVersions.max < older.max) {
      out.push(`${label}: max version ${decl.validVersions.max} is below Kafka 3.9's ${older.max}`);
    }
  }
  for (let v = decl.validVersions.min; v <= decl.validVersions.max; v++) {
    const msg = sourceFor(sources, v);
    if (!msg) {
      out.push(`${label}: v${v} is in neither Kafka 3.9 nor 4.1`);
      continue;
    }
    const flexible = inRange(decl.flexibleVersions, v);
    if (flexible !== inRange(parseVersions(msg.flexibleVersions), v)) {
      out.push(`${label} v${v}: flexible ${flexible}, Kafka flexibleVersions ${msg.flexibleVersions}`);
    }
    const fields = side === 'request' ? decl.request : decl.response;
    compareFields(fields, msg.fields, structsOf(msg), v, flexible, '', out);
  }
}
