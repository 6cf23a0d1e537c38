import { ErrorCode } from '../protocol/errors.js';
import type { BrokerServices } from './services.js';

/**
 * What DescribeConfigs, AlterConfigs and IncrementalAlterConfigs share: Kafka's ConfigResource types,
 * the checks Kafka 3.9's ConfigAdminManager.preprocess runs before anything else, and Kafka's wording.
 *
 * Samsa's broker config is frozen at start (DESIGN.md §5), so no broker config is dynamic: a change
 * to any broker key is refused with the error Kafka gives for its own static keys, INVALID_REQUEST
 * "Cannot update these configs dynamically: Set(...)". An empty change, or a DELETE (of a dynamic
 * value that cannot exist), succeeds and changes nothing, as in Kafka.
 */

/** ConfigResource.Type ids on the wire. */
export const ConfigResourceType = Object.freeze({
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
});

const TYPE_NAMES = new Map<number, string>([
  [ConfigResourceType.TOPIC, 'TOPIC'],
  [ConfigResourceType.BROKER, 'BROKER'],
  [ConfigResourceType.BROKER_LOGGER, 'BROKER_LOGGER'],
  [ConfigResourceType.CLIENT_METRICS, 'CLIENT_METRICS'],
]);

/** ConfigResource.Type's name for an id: UNKNOWN for ids Kafka does not know. */
export function configResourceTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? 'UNKNOWN';
}

/** Kafka's ConfigResource.toString(), as its "Invalid config value for resource ..." messages print it. */
export function formatConfigResource(type: number, name: string): string {
  return `ConfigResource(type=${configResourceTypeName(type)}, name='${name}')`;
}

export interface ResourceError {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export const OK: ResourceError = Object.freeze({ errorCode: ErrorCode.NONE, errorMessage: null });

export function refuse(errorCode: number, errorMessage: string | null): ResourceError {
  return { errorCode, errorMessage };
}

/** Scala's Set(...).toString for the keys, as Kafka's dynamic-config messages print them. */
export function scalaSet(items: readonly string[]): string {
  return `Set(${items.join(', ')})`;
}

/**
 * ConfigAdminManager.preprocess's first pass: a (type, name) pair named twice makes every copy
 * INVALID_REQUEST. Returns, per resource index, that error or null.
 */
export function duplicateResources(
  resources: readonly { resourceType: number; resourceName: string }[],
): (ResourceError | null)[] {
  const counts = new Map<string, number>();
  const key = (r: { resourceType: number; resourceName: string }) => `${r.resourceType}\u0000${r.resourceName}`;
  for (const r of resources) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return resources.map((r) =>
    counts.get(key(r))! > 1 ? refuse(ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.') : null,
  );
}

/**
 * Answers each resource of an AlterConfigs or IncrementalAlterConfigs request in order: a resource named
 * twice is refused without being looked at, as Kafka does; every other one gets what `alter` decides.
 */
export async function alterEachResource<R extends { resourceType: number; resourceName: string }>(
  resources: readonly R[],
  alter: (resource: R) => Promise<ResourceError>,
): Promise<{ errorCode: number; errorMessage: string | null; resourceType: number; resourceName: string }[]> {
  const duplicates = duplicateResources(resources);
  const responses = [];
  for (const [i, r] of resources.entries()) {
    const error = duplicates[i] ?? (await alter(r));
    responses.push({
      errorCode: error.errorCode,
      errorMessage: error.errorMessage,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
    });
  }
  return responses;
}

/** Duplicate config names within one resource (ConfigAdminManager.containsDuplicates). */
export function duplicateConfigKeys(names: readonly string[]): ResourceError | null {
  return new Set(names).size !== names.length
    ? refuse(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys')
    : null;
}

/** Null values (for IncrementalAlterConfigs: outside DELETE) are refused before anything else. */
export function nullValues(names: readonly string[]): ResourceError | null {
  return names.length > 0
    ? refuse(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${names.join(', ')}`)
    : null;
}

/** A BROKER resource of AlterConfigs: empty (cluster default) or this broker's id. */
export function checkBrokerResourceName(s: BrokerServices, name: string): ResourceError | null {
  if (name === '') return null;
  if (!/^[+-]?\d+$/.test(name) || !Number.isSafeInteger(Number(name)))
    return refuse(ErrorCode.INVALID_REQUEST, `Node id must be an integer, but it is: ${name}`);
  if (Number(name) !== s.brokerId)
    return refuse(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${s.brokerId}, but received ${name}`);
  return null;
}

/** The answer to setting broker keys: none can change while the broker runs. */
export function staticBrokerConfigs(keys: readonly string[]): ResourceError {
  return keys.length === 0
    ? OK
    : refuse(ErrorCode.INVALID_REQUEST, `Cannot update these configs dynamically: ${scalaSet(keys)}`);
}

/**
 * A topic config refusal in the words of Kafka's ZkAdminManager: a value that fails to parse is a
 * ConfigException, reported with the resource in front; unknown names and conflicts between keys are
 * InvalidConfigurationExceptions, reported as they are.
 */
export function topicConfigError(topic: string, errorCode: number, errorMessage: string | null): ResourceError {
  if (errorCode === ErrorCode.INVALID_CONFIG && errorMessage?.startsWith('Invalid value ') === true) {
    return refuse(
      errorCode,
      `Invalid config value for resource ${formatConfigResource(ConfigResourceType.TOPIC, topic)}: ${errorMessage}`,
    );
  }
  return refuse(errorCode, errorMessage);
}

/** A TOPIC resource to alter: named, and existing. */
export function checkTopicResource(s: BrokerServices, name: string): ResourceError | null {
  if (name === '') return refuse(ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.');
  if (s.metadata.topic(name) === undefined)
    return refuse(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
  return null;
}

/** ZooKeeper-mode Kafka stores no client-metrics subscriptions; its AlterConfigs says so. */
export function unsupportedAlterType(type: number): ResourceError {
  return refuse(
    ErrorCode.INVALID_REQUEST,
    `AlterConfigs is only supported for topics and brokers, but resource type is ${configResourceTypeName(type)}`,
  );
}
