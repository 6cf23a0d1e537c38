/**
 * Kafka's authorized-operations bit sets (KIP-430), as Metadata and DescribeCluster report them. Samsa
 * has no authorizer, so every operation that applies to a resource type is allowed, as Kafka answers
 * without one. Bits are AclOperation codes: READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8,
 * CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12, CREATE_TOKENS 13,
 * DESCRIBE_TOKENS 14. Integer.MIN_VALUE means "not requested".
 */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

const bits = (...ops: number[]): number => ops.reduce((acc, op) => acc | (1 << op), 0);

export const TOPIC_OPERATIONS = bits(3, 4, 5, 6, 7, 8, 10, 11);
export const CLUSTER_OPERATIONS = bits(5, 7, 8, 9, 10, 11, 12, 13, 14);
export const GROUP_OPERATIONS = bits(3, 6, 8);
