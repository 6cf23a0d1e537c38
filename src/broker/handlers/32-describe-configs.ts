import { ErrorCode, errorInfo } from '../../protocol/errors.js';
import { DescribeConfigs } from '../../protocol/messages/32-describe-configs.js';
import type { ResponseInput } from '../../protocol/schema/api.js';
import { describeBrokerConfigs, describeTopicConfigs, type DescribedConfig } from '../config/describe.js';
import { ConfigResourceType, refuse, type ResourceError } from '../config-resources.js';
import { defineHandler, type Handler } from '../handler.js';
import { invalidTopicNameReason } from '../metadata/topic-name.js';
import type { BrokerServices } from '../services.js';

/**
 * DescribeConfigs (32), v0-4. v1 include_synonyms, and each entry's config_source and synonyms where
 * v0 had is_default; v2 throttles after the response; v3 include_documentation, config_type and
 * documentation; v4 flexible.
 *
 * Entries come from src/broker/config/describe.ts (Kafka's ConfigHelper: sources, synonyms by layer,
 * passwords as null). As Kafka 3.9 answers per resource type:
 * - TOPIC: every topic config; an illegal name INVALID_TOPIC_EXCEPTION, an unknown topic
 *   UNKNOWN_TOPIC_OR_PARTITION.
 * - BROKER: our id gives every broker config (all read-only: Samsa's broker config is static); the
 *   empty name gives the cluster-wide dynamic defaults, of which there are none; another id is
 *   INVALID_REQUEST.
 * - BROKER_LOGGER: our id gives the log4j loggers, of which Samsa has none (an empty list); the empty
 *   name or another id is INVALID_REQUEST.
 * - CLIENT_METRICS: no subscriptions exist, so a named one has no configs.
 * - Any other type fails the whole request with INVALID_REQUEST, as Kafka's throw does.
 * Unlike Kafka 3.9, which leaves it false, v0's is_default is filled in (source is DEFAULT_CONFIG).
 */
type Response = ResponseInput<typeof DescribeConfigs>;
type Result = NonNullable<Response['results']>[number];
type Entry = NonNullable<Result['configs']>[number];

const KNOWN_TYPES: ReadonlySet<number> = new Set([
  ConfigResourceType.TOPIC,
  ConfigResourceType.BROKER,
  ConfigResourceType.BROKER_LOGGER,
  ConfigResourceType.CLIENT_METRICS,
]);

interface Options {
  readonly names: readonly string[] | null;
  readonly includeSynonyms: boolean;
  readonly includeDocumentation: boolean;
}

export function describeConfigsHandler(s: BrokerServices): Handler<typeof DescribeConfigs> {
  return defineHandler(DescribeConfigs, '0-4', (ctx, request) => {
    const v = ctx.apiVersion;
    if (request.resources.some((r) => !KNOWN_TYPES.has(r.resourceType))) {
      const message = errorInfo(ErrorCode.INVALID_REQUEST)?.message ?? null;
      return {
        throttleTimeMs: 0,
        results: request.resources.map((r) =>
          result(r.resourceType, r.resourceName, [], refuse(ErrorCode.INVALID_REQUEST, message)),
        ),
      };
    }
    return {
      throttleTimeMs: 0,
      results: request.resources.map((r) => {
        const keys = r.configurationKeys;
        const options: Options = {
          names: keys === null || keys.length === 0 ? null : keys,
          includeSynonyms: v >= 1 && request.includeSynonyms,
          includeDocumentation: v >= 3 && request.includeDocumentation,
        };
        const described = describe(s, r.resourceType, r.resourceName, options);
        return 'errorCode' in described
          ? result(r.resourceType, r.resourceName, [], described)
          : result(r.resourceType, r.resourceName, described.map(toEntry), null);
      }),
    };
  });
}

function describe(s: BrokerServices, type: number, name: string, options: Options): DescribedConfig[] | ResourceError {
  switch (type) {
    case ConfigResourceType.TOPIC: {
      const invalid = invalidTopicNameReason(name);
      if (invalid !== null) return refuse(ErrorCode.INVALID_TOPIC_EXCEPTION, invalid);
      const topic = s.metadata.topic(name);
      if (topic === undefined) return refuse(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null);
      return describeTopicConfigs(s.config, topic.configs, options);
    }
    case ConfigResourceType.BROKER: {
      if (name === '') return [];
      const id = brokerIdOf(name);
      if (typeof id !== 'number') return id;
      if (id !== s.brokerId)
        return refuse(
          ErrorCode.INVALID_REQUEST,
          `Unexpected broker id, expected ${s.brokerId} or empty string, but received ${name}`,
        );
      return describeBrokerConfigs(s.config, options);
    }
    case ConfigResourceType.BROKER_LOGGER: {
      if (name === '') return refuse(ErrorCode.INVALID_REQUEST, 'Broker id must not be empty');
      const id = brokerIdOf(name);
      if (typeof id !== 'number') return id;
      if (id !== s.brokerId)
        return refuse(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${s.brokerId} but received ${name}`);
      return [];
    }
    default:
      if (name === '') return refuse(ErrorCode.INVALID_REQUEST, 'Client metrics subscription name must not be empty');
      return [];
  }
}

function brokerIdOf(name: string): number | ResourceError {
  if (!/^[+-]?\d+$/.test(name) || !Number.isSafeInteger(Number(name)))
    return refuse(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${name}`);
  return Number(name);
}

function toEntry(c: DescribedConfig): Entry {
  return {
    name: c.name,
    value: c.value,
    readOnly: c.readOnly,
    isDefault: c.isDefault,
    configSource: c.source,
    isSensitive: c.isSensitive,
    synonyms: c.synonyms.map((syn) => ({ name: syn.name, value: syn.value, source: syn.source })),
    configType: c.configType,
    documentation: c.documentation,
  };
}

function result(type: number, name: string, configs: Entry[], error: ResourceError | null): Result {
  return {
    errorCode: error?.errorCode ?? ErrorCode.NONE,
    errorMessage: error?.errorMessage ?? null,
    resourceType: type,
    resourceName: name,
    configs,
  };
}
