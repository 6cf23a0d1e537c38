import { ErrorCode } from '../../protocol/errors.js';
import { AlterConfigs } from '../../protocol/messages/33-alter-configs.js';
import {
  ConfigResourceType,
  OK,
  checkBrokerResourceName,
  checkTopicResource,
  duplicateConfigKeys,
  alterEachResource,
  nullValues,
  refuse,
  staticBrokerConfigs,
  topicConfigError,
  unsupportedAlterType,
  type ResourceError,
} from '../config-resources.js';
import { defineHandler, type Handler } from '../handler.js';
import type { BrokerServices } from '../services.js';

/**
 * AlterConfigs (33), v0-2. v1 throttles after the response; v2 flexible. Deprecated by
 * IncrementalAlterConfigs: the given entries replace all of a topic's overrides.
 *
 * Checks run in the order of Kafka 3.9's ConfigAdminManager.preprocess and ZkAdminManager: a
 * resource named twice, duplicate or null config values (INVALID_REQUEST); then per type. TOPIC: the
 * store validates the whole set (INVALID_CONFIG with Kafka's messages) and persists it; the
 * ReplicaManager applies it to the topic's logs and produce checks at once (no restart).
 * validate_only checks without changing anything. BROKER: our id or the empty name (cluster
 * default); since Samsa's broker config is static, any key is refused as Kafka refuses its static
 * keys (see config-resources.ts). BROKER_LOGGER and unknown types: INVALID_REQUEST "Unknown resource
 * type"; CLIENT_METRICS: INVALID_REQUEST, as ZooKeeper-mode Kafka answers.
 */
export function alterConfigsHandler(s: BrokerServices): Handler<typeof AlterConfigs> {
  return defineHandler(AlterConfigs, '0-2', async (_ctx, request) => {
    const responses = await alterEachResource(request.resources, (r) =>
      alter(s, r.resourceType, r.resourceName, r.configs, request.validateOnly),
    );
    return { throttleTimeMs: 0, responses };
  });
}

async function alter(
  s: BrokerServices,
  type: number,
  name: string,
  configs: readonly { name: string; value: string | null }[],
  validateOnly: boolean,
): Promise<ResourceError> {
  const early =
    duplicateConfigKeys(configs.map((c) => c.name)) ??
    nullValues(configs.filter((c) => c.value === null).map((c) => c.name));
  if (early !== null) return early;
  switch (type) {
    case ConfigResourceType.BROKER:
      return checkBrokerResourceName(s, name) ?? staticBrokerConfigs(configs.map((c) => c.name));
    case ConfigResourceType.TOPIC: {
      const refused = checkTopicResource(s, name);
      if (refused !== null) return refused;
      const result = await s.metadata.alterTopicConfigs(name, configs, { validateOnly });
      if (result.errorCode !== ErrorCode.NONE) return topicConfigError(name, result.errorCode, result.errorMessage);
      if (!validateOnly) s.log.info(`Updated topic ${name} with new configuration: ${describe(result.configs)}`);
      return OK;
    }
    case ConfigResourceType.CLIENT_METRICS:
      return unsupportedAlterType(type);
    default:
      return refuse(ErrorCode.INVALID_REQUEST, `Unknown resource type ${type}`);
  }
}

function describe(configs: ReadonlyMap<string, string> | null): string {
  return [...(configs ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join(',');
}
