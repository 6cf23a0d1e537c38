import { ErrorCode } from '../../protocol/errors.js';
import { IncrementalAlterConfigs } from '../../protocol/messages/44-incremental-alter-configs.js';
import { brokerKeyDef } from '../config/broker-defs.js';
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
import { ALTER_CONFIG_OP_TYPES, type AlterConfigOp } from '../metadata/types.js';
import type { BrokerServices } from '../services.js';

/**
 * IncrementalAlterConfigs (44), v0-1 (KIP-339). v1 flexible. Operations: 0 SET, 1 DELETE, 2 APPEND,
 * 3 SUBTRACT (the last two for list configs only, starting from the current or default value).
 *
 * Checks in the order of Kafka 3.9's ConfigAdminManager.preprocess: a resource named twice, duplicate
 * config names, a null value outside DELETE (INVALID_REQUEST); then per type:
 * - TOPIC: the store applies the operations to the current overrides, validates the result
 *   (INVALID_CONFIG with Kafka's messages) and persists it; it takes effect at once. validate_only
 *   changes nothing.
 * - BROKER: our id or the empty name. Samsa's broker config is static: DELETE succeeds (there is no
 *   dynamic value to remove), anything that would set a key is refused (config-resources.ts).
 * - BROKER_LOGGER: our id; Samsa has no log4j loggers, so SET and DELETE name a logger that does not
 *   exist (INVALID_CONFIG), and APPEND / SUBTRACT are INVALID_REQUEST, in Kafka's words.
 * - CLIENT_METRICS: INVALID_REQUEST as ZooKeeper-mode Kafka answers; unknown types INVALID_REQUEST.
 * An unknown operation code is INVALID_REQUEST "Unknown operations type N".
 */
interface Op {
  readonly name: string;
  readonly configOperation: number;
  readonly value: string | null;
}

const SET = 0;
const DELETE = 1;

export function incrementalAlterConfigsHandler(s: BrokerServices): Handler<typeof IncrementalAlterConfigs> {
  return defineHandler(IncrementalAlterConfigs, '0-1', async (_ctx, request) => {
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
  ops: readonly Op[],
  validateOnly: boolean,
): Promise<ResourceError> {
  const early =
    duplicateConfigKeys(ops.map((o) => o.name)) ??
    nullValues(ops.filter((o) => o.configOperation !== DELETE && o.value === null).map((o) => o.name));
  if (early !== null) return early;
  switch (type) {
    case ConfigResourceType.TOPIC:
      return alterTopic(s, name, ops, validateOnly);
    case ConfigResourceType.BROKER:
      return checkBrokerResourceName(s, name) ?? alterBroker(ops);
    case ConfigResourceType.BROKER_LOGGER:
      return checkLoggerResourceName(s, name) ?? alterLoggers(ops);
    case ConfigResourceType.CLIENT_METRICS:
      return unsupportedAlterType(type);
    default:
      return refuse(ErrorCode.INVALID_REQUEST, `Unknown resource type ${type}`);
  }
}

function unknownOperation(ops: readonly Op[]): ResourceError | null {
  const bad = ops.find((o) => ALTER_CONFIG_OP_TYPES[o.configOperation] === undefined);
  return bad === undefined ? null : refuse(ErrorCode.INVALID_REQUEST, `Unknown operations type ${bad.configOperation}`);
}

async function alterTopic(s: BrokerServices, name: string, ops: readonly Op[], validateOnly: boolean) {
  const refused = checkTopicResource(s, name) ?? unknownOperation(ops);
  if (refused !== null) return refused;
  const changes: AlterConfigOp[] = ops.map((o) => ({
    name: o.name,
    op: ALTER_CONFIG_OP_TYPES[o.configOperation]!,
    value: o.value,
  }));
  const result = await s.metadata.incrementalAlterTopicConfigs(name, changes, { validateOnly });
  if (result.errorCode !== ErrorCode.NONE) return topicConfigError(name, result.errorCode, result.errorMessage);
  if (!validateOnly) {
    const now = [...(result.configs ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join(',');
    s.log.info(`Updated topic ${name} with new configuration: ${now}`);
  }
  return OK;
}

/** Kafka's prepareIncrementalConfigs on the (empty) dynamic broker config, then its static-key check. */
function alterBroker(ops: readonly Op[]): ResourceError {
  const refused = unknownOperation(ops);
  if (refused !== null) return refused;
  const setting: string[] = [];
  for (const o of ops) {
    if (o.configOperation === DELETE) continue;
    if (o.configOperation !== SET) {
      const def = brokerKeyDef(o.name);
      if (def === undefined) return refuse(ErrorCode.INVALID_CONFIG, `Unknown config name: ${o.name}`);
      if (def.type !== 'list') {
        const verb = ALTER_CONFIG_OP_TYPES[o.configOperation] === 'APPEND' ? 'append' : 'subtract';
        return refuse(ErrorCode.INVALID_CONFIG, `Config value ${verb} is not allowed for config key: ${o.name}`);
      }
    }
    setting.push(o.name);
  }
  return staticBrokerConfigs(setting);
}

/** RuntimeLoggerManager.validateResourceNameIsNodeId: the name must be this broker's id. */
function checkLoggerResourceName(s: BrokerServices, name: string): ResourceError | null {
  if (!/^[+-]?\d+$/.test(name) || !Number.isSafeInteger(Number(name)))
    return refuse(ErrorCode.INVALID_REQUEST, `Node id must be an integer, but it is: ${name}`);
  if (Number(name) !== s.brokerId)
    return refuse(ErrorCode.INVALID_REQUEST, `Unexpected node id. Expected ${s.brokerId}, but received ${name}`);
  return null;
}

/** Kafka's RuntimeLoggerManager.validateLogLevelConfigs, with no loggers to name. */
function alterLoggers(ops: readonly Op[]): ResourceError {
  for (const o of ops) {
    const opType = ALTER_CONFIG_OP_TYPES[o.configOperation];
    if (opType === 'SET' || opType === 'DELETE')
      return refuse(ErrorCode.INVALID_CONFIG, `Logger ${o.name} does not exist!`);
    if (opType === undefined)
      return refuse(
        ErrorCode.INVALID_REQUEST,
        `Unknown operation type ${o.configOperation} is not allowed for the BROKER_LOGGER resource`,
      );
    return refuse(ErrorCode.INVALID_REQUEST, `${opType} operation is not allowed for the BROKER_LOGGER resource`);
  }
  return OK;
}
