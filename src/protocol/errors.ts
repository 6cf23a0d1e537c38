/**
 * Kafka's error codes as data: every error of `org.apache.kafka.common.protocol.Errors` in Kafka 4.1,
 * with its wire code (an int16), Kafka's own name, whether it is retriable, and a one-line default
 * message. Brokers write these codes into responses per topic and partition; tools print the names.
 *
 * - Codes never change; names sometimes do (6 was NOT_LEADER_FOR_PARTITION before Kafka 2.7, -1 was
 *   UNKNOWN), so older clients may print another name for the same code. The names here are 4.1's.
 * - `retriable` is true exactly when Kafka's exception class for the error extends RetriableException:
 *   the client may send the same request again (usually after refreshing metadata) and expect it to
 *   succeed. It is a statement about clients; the broker does not act on it.
 * - Messages are ours, not Kafka's: a default for the errorMessage fields some responses carry, and
 *   the text our tools print next to the name.
 */

interface ErrorSpec {
  readonly code: number;
  readonly retriable: boolean;
  readonly message: string;
}

/** One entry per error, in order of code. */
const ERRORS = {
  UNKNOWN_SERVER_ERROR: {
    code: -1,
    retriable: false,
    message: 'The server hit an unexpected error while handling the request.',
  },
  NONE: { code: 0, retriable: false, message: 'No error.' },
  OFFSET_OUT_OF_RANGE: {
    code: 1,
    retriable: false,
    message: 'The offset asked for is outside the range of offsets the server holds for this partition.',
  },
  CORRUPT_MESSAGE: {
    code: 2,
    retriable: true,
    message:
      'A message failed its CRC check, has an invalid size, has a null key on a compacted topic, or is otherwise corrupt.',
  },
  UNKNOWN_TOPIC_OR_PARTITION: { code: 3, retriable: true, message: 'This server does not host the topic-partition.' },
  INVALID_FETCH_SIZE: { code: 4, retriable: false, message: 'The fetch size in the request is invalid.' },
  LEADER_NOT_AVAILABLE: {
    code: 5,
    retriable: true,
    message: 'The topic-partition has no leader right now, most likely because an election is under way.',
  },
  NOT_LEADER_OR_FOLLOWER: {
    code: 6,
    retriable: true,
    message: 'This broker is not the leader for the partition, or not a replica of it, as the request requires.',
  },
  REQUEST_TIMED_OUT: { code: 7, retriable: true, message: 'The request timed out.' },
  BROKER_NOT_AVAILABLE: { code: 8, retriable: false, message: 'The broker is not available.' },
  REPLICA_NOT_AVAILABLE: { code: 9, retriable: true, message: 'A replica of the topic-partition is not available.' },
  MESSAGE_TOO_LARGE: {
    code: 10,
    retriable: false,
    message: 'A message in the request is larger than the largest message the server accepts.',
  },
  STALE_CONTROLLER_EPOCH: {
    code: 11,
    retriable: false,
    message: 'The request came from a controller whose epoch is stale; the controller has moved.',
  },
  OFFSET_METADATA_TOO_LARGE: {
    code: 12,
    retriable: false,
    message: 'The metadata string of the committed offset is too large.',
  },
  NETWORK_EXCEPTION: { code: 13, retriable: true, message: 'The connection closed before a response arrived.' },
  COORDINATOR_LOAD_IN_PROGRESS: {
    code: 14,
    retriable: true,
    message: 'The coordinator is still loading its state and cannot serve requests yet.',
  },
  COORDINATOR_NOT_AVAILABLE: { code: 15, retriable: true, message: 'The coordinator is not available.' },
  NOT_COORDINATOR: {
    code: 16,
    retriable: true,
    message: 'This broker is not the coordinator for the group or transactional id.',
  },
  INVALID_TOPIC_EXCEPTION: {
    code: 17,
    retriable: false,
    message: 'The topic name is invalid or the topic cannot take this operation.',
  },
  RECORD_LIST_TOO_LARGE: {
    code: 18,
    retriable: false,
    message: 'A record batch in the request is larger than the configured segment size.',
  },
  NOT_ENOUGH_REPLICAS: {
    code: 19,
    retriable: true,
    message: 'The write was refused because fewer replicas are in sync than min.insync.replicas requires.',
  },
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: {
    code: 20,
    retriable: true,
    message: 'The write reached the log but fewer replicas than min.insync.replicas acknowledged it.',
  },
  INVALID_REQUIRED_ACKS: { code: 21, retriable: false, message: 'The produce request carried an invalid acks value.' },
  ILLEGAL_GENERATION: {
    code: 22,
    retriable: false,
    message: 'The group generation id in the request is not the current one.',
  },
  INCONSISTENT_GROUP_PROTOCOL: {
    code: 23,
    retriable: false,
    message: "The member's protocols do not match the group's, or its protocol type or list is empty.",
  },
  INVALID_GROUP_ID: { code: 24, retriable: false, message: 'The group id is invalid.' },
  UNKNOWN_MEMBER_ID: { code: 25, retriable: false, message: 'The coordinator does not know this member id.' },
  INVALID_SESSION_TIMEOUT: {
    code: 26,
    retriable: false,
    message: 'The session timeout is outside group.min.session.timeout.ms..group.max.session.timeout.ms.',
  },
  REBALANCE_IN_PROGRESS: { code: 27, retriable: false, message: 'The group is rebalancing; the member must rejoin.' },
  INVALID_COMMIT_OFFSET_SIZE: {
    code: 28,
    retriable: false,
    message: 'The offset commit is too large or otherwise of an invalid size.',
  },
  TOPIC_AUTHORIZATION_FAILED: { code: 29, retriable: false, message: 'Not authorized to access the topic.' },
  GROUP_AUTHORIZATION_FAILED: { code: 30, retriable: false, message: 'Not authorized to access the group.' },
  CLUSTER_AUTHORIZATION_FAILED: {
    code: 31,
    retriable: false,
    message: 'Not authorized to perform this cluster operation.',
  },
  INVALID_TIMESTAMP: { code: 32, retriable: false, message: 'A message timestamp is outside the accepted range.' },
  UNSUPPORTED_SASL_MECHANISM: {
    code: 33,
    retriable: false,
    message: 'The broker does not support the requested SASL mechanism.',
  },
  ILLEGAL_SASL_STATE: {
    code: 34,
    retriable: false,
    message: 'The request is not allowed in the current state of the SASL exchange.',
  },
  UNSUPPORTED_VERSION: { code: 35, retriable: false, message: 'The broker does not support this version of the API.' },
  TOPIC_ALREADY_EXISTS: { code: 36, retriable: false, message: 'A topic with this name already exists.' },
  INVALID_PARTITIONS: { code: 37, retriable: false, message: 'The requested number of partitions is invalid.' },
  INVALID_REPLICATION_FACTOR: {
    code: 38,
    retriable: false,
    message: 'The replication factor is below 1 or above the number of available brokers.',
  },
  INVALID_REPLICA_ASSIGNMENT: { code: 39, retriable: false, message: 'The replica assignment is invalid.' },
  INVALID_CONFIG: { code: 40, retriable: false, message: 'The configuration is invalid.' },
  NOT_CONTROLLER: { code: 41, retriable: true, message: 'This broker is not the active controller.' },
  INVALID_REQUEST: {
    code: 42,
    retriable: false,
    message: 'The request is malformed or was sent to an incompatible broker; the broker log has details.',
  },
  UNSUPPORTED_FOR_MESSAGE_FORMAT: {
    code: 43,
    retriable: false,
    message: 'The request needs a message format newer than the one in use.',
  },
  POLICY_VIOLATION: { code: 44, retriable: false, message: 'The request violates a configured policy.' },
  OUT_OF_ORDER_SEQUENCE_NUMBER: {
    code: 45,
    retriable: false,
    message: 'The broker received a producer sequence number out of order.',
  },
  DUPLICATE_SEQUENCE_NUMBER: {
    code: 46,
    retriable: false,
    message: 'The broker received a producer sequence number it has already seen.',
  },
  INVALID_PRODUCER_EPOCH: { code: 47, retriable: false, message: 'The producer epoch is older than the current one.' },
  INVALID_TXN_STATE: {
    code: 48,
    retriable: false,
    message: "The transactional operation is not valid in the transaction's current state.",
  },
  INVALID_PRODUCER_ID_MAPPING: {
    code: 49,
    retriable: false,
    message: 'The producer id is not the one currently assigned to this transactional id.',
  },
  INVALID_TRANSACTION_TIMEOUT: {
    code: 50,
    retriable: false,
    message: 'The transaction timeout exceeds transaction.max.timeout.ms.',
  },
  CONCURRENT_TRANSACTIONS: {
    code: 51,
    retriable: true,
    message: 'Another operation on the same transaction is still in progress.',
  },
  TRANSACTION_COORDINATOR_FENCED: {
    code: 52,
    retriable: false,
    message: 'The transaction coordinator that sent the marker is no longer the current coordinator.',
  },
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: {
    code: 53,
    retriable: false,
    message: 'Not authorized to use the transactional id.',
  },
  SECURITY_DISABLED: { code: 54, retriable: false, message: 'Security features are disabled on this broker.' },
  OPERATION_NOT_ATTEMPTED: {
    code: 55,
    retriable: false,
    message: 'The broker skipped this operation because another operation in the same batch failed.',
  },
  KAFKA_STORAGE_ERROR: { code: 56, retriable: true, message: 'A disk error occurred while accessing the log.' },
  LOG_DIR_NOT_FOUND: {
    code: 57,
    retriable: false,
    message: "The log directory named in the request is not in the broker's configuration.",
  },
  SASL_AUTHENTICATION_FAILED: { code: 58, retriable: false, message: 'SASL authentication failed.' },
  UNKNOWN_PRODUCER_ID: {
    code: 59,
    retriable: false,
    message: 'The broker has no state for this producer id, for example because its records have expired.',
  },
  REASSIGNMENT_IN_PROGRESS: { code: 60, retriable: false, message: 'A partition reassignment is in progress.' },
  DELEGATION_TOKEN_AUTH_DISABLED: { code: 61, retriable: false, message: 'Delegation tokens are not enabled.' },
  DELEGATION_TOKEN_NOT_FOUND: { code: 62, retriable: false, message: 'The delegation token was not found.' },
  DELEGATION_TOKEN_OWNER_MISMATCH: {
    code: 63,
    retriable: false,
    message: 'The principal is not the owner or a renewer of the delegation token.',
  },
  DELEGATION_TOKEN_REQUEST_NOT_ALLOWED: {
    code: 64,
    retriable: false,
    message:
      'Delegation token requests are not allowed on this channel (plaintext, one-way SSL or token-authenticated).',
  },
  DELEGATION_TOKEN_AUTHORIZATION_FAILED: {
    code: 65,
    retriable: false,
    message: 'Not authorized to perform this delegation token operation.',
  },
  DELEGATION_TOKEN_EXPIRED: { code: 66, retriable: false, message: 'The delegation token has expired.' },
  INVALID_PRINCIPAL_TYPE: { code: 67, retriable: false, message: 'The principal type is not supported.' },
  NON_EMPTY_GROUP: { code: 68, retriable: false, message: 'The group still has members.' },
  GROUP_ID_NOT_FOUND: { code: 69, retriable: false, message: 'The group id does not exist.' },
  FETCH_SESSION_ID_NOT_FOUND: { code: 70, retriable: true, message: 'The fetch session id is unknown to the broker.' },
  INVALID_FETCH_SESSION_EPOCH: {
    code: 71,
    retriable: true,
    message: 'The fetch session epoch is not the expected one.',
  },
  LISTENER_NOT_FOUND: {
    code: 72,
    retriable: true,
    message: 'The partition leader has no listener matching the one this metadata request arrived on.',
  },
  TOPIC_DELETION_DISABLED: { code: 73, retriable: false, message: 'Topic deletion is disabled.' },
  FENCED_LEADER_EPOCH: {
    code: 74,
    retriable: true,
    message: "The leader epoch in the request is older than the broker's.",
  },
  UNKNOWN_LEADER_EPOCH: {
    code: 75,
    retriable: true,
    message: "The leader epoch in the request is newer than the broker's.",
  },
  UNSUPPORTED_COMPRESSION_TYPE: {
    code: 76,
    retriable: false,
    message: 'The client does not support the compression type used by the partition.',
  },
  STALE_BROKER_EPOCH: { code: 77, retriable: false, message: 'The broker epoch in the request is stale.' },
  OFFSET_NOT_AVAILABLE: {
    code: 78,
    retriable: true,
    message: "The new leader's high watermark has not caught up yet, so offsets cannot be served safely.",
  },
  MEMBER_ID_REQUIRED: {
    code: 79,
    retriable: false,
    message: 'The member must rejoin with the member id the coordinator assigned it.',
  },
  PREFERRED_LEADER_NOT_AVAILABLE: { code: 80, retriable: true, message: 'The preferred leader is not available.' },
  GROUP_MAX_SIZE_REACHED: {
    code: 81,
    retriable: false,
    message: 'The group has reached its maximum number of members.',
  },
  FENCED_INSTANCE_ID: {
    code: 82,
    retriable: false,
    message: 'Another member with the same group.instance.id has fenced this static member.',
  },
  ELIGIBLE_LEADERS_NOT_AVAILABLE: {
    code: 83,
    retriable: true,
    message: 'No eligible leader is available for the partition.',
  },
  ELECTION_NOT_NEEDED: { code: 84, retriable: true, message: 'The partition does not need a leader election.' },
  NO_REASSIGNMENT_IN_PROGRESS: { code: 85, retriable: false, message: 'No partition reassignment is in progress.' },
  GROUP_SUBSCRIBED_TO_TOPIC: {
    code: 86,
    retriable: false,
    message: "The group's offsets for a topic cannot be deleted while the group is subscribed to it.",
  },
  INVALID_RECORD: { code: 87, retriable: false, message: 'The broker rejected a record that failed validation.' },
  UNSTABLE_OFFSET_COMMIT: {
    code: 88,
    retriable: true,
    message: 'Pending transactional offset commits must complete first.',
  },
  THROTTLING_QUOTA_EXCEEDED: { code: 89, retriable: true, message: 'The request exceeded the throttling quota.' },
  PRODUCER_FENCED: {
    code: 90,
    retriable: false,
    message: 'A newer producer with the same transactional id has fenced this one.',
  },
  RESOURCE_NOT_FOUND: { code: 91, retriable: false, message: 'The request refers to a resource that does not exist.' },
  DUPLICATE_RESOURCE: {
    code: 92,
    retriable: false,
    message: 'The request refers to the same resource more than once.',
  },
  UNACCEPTABLE_CREDENTIAL: {
    code: 93,
    retriable: false,
    message: 'The credential does not meet the acceptance criteria.',
  },
  INCONSISTENT_VOTER_SET: {
    code: 94,
    retriable: false,
    message: 'The sender or receiver of the voter-only request is not one of the expected voters.',
  },
  INVALID_UPDATE_VERSION: { code: 95, retriable: false, message: 'The feature update version is invalid.' },
  FEATURE_UPDATE_FAILED: {
    code: 96,
    retriable: false,
    message: 'The finalized features could not be updated because of an unexpected server error.',
  },
  PRINCIPAL_DESERIALIZATION_FAILURE: {
    code: 97,
    retriable: false,
    message: 'The forwarded request principal could not be deserialized.',
  },
  SNAPSHOT_NOT_FOUND: { code: 98, retriable: false, message: 'The requested snapshot does not exist.' },
  POSITION_OUT_OF_RANGE: {
    code: 99,
    retriable: false,
    message: 'The requested snapshot position is negative or past the end of the snapshot.',
  },
  UNKNOWN_TOPIC_ID: { code: 100, retriable: true, message: 'This server does not host a topic with this topic id.' },
  DUPLICATE_BROKER_REGISTRATION: {
    code: 101,
    retriable: false,
    message: 'Another broker has registered with this broker id.',
  },
  BROKER_ID_NOT_REGISTERED: { code: 102, retriable: false, message: 'The broker id is not registered.' },
  INCONSISTENT_TOPIC_ID: {
    code: 103,
    retriable: true,
    message: 'The topic id in the request does not match the topic id of the log.',
  },
  INCONSISTENT_CLUSTER_ID: {
    code: 104,
    retriable: false,
    message: "The cluster id in the request does not match the server's.",
  },
  TRANSACTIONAL_ID_NOT_FOUND: { code: 105, retriable: false, message: 'The transactional id does not exist.' },
  FETCH_SESSION_TOPIC_ID_ERROR: {
    code: 106,
    retriable: true,
    message: 'The fetch session mixed requests with and without topic ids.',
  },
  INELIGIBLE_REPLICA: {
    code: 107,
    retriable: false,
    message: 'The proposed ISR contains a replica that is not eligible.',
  },
  NEW_LEADER_ELECTED: {
    code: 108,
    retriable: false,
    message: 'The partition state was updated, but a new leader has been elected.',
  },
  OFFSET_MOVED_TO_TIERED_STORAGE: {
    code: 109,
    retriable: false,
    message: 'The requested offset now lives only in tiered storage.',
  },
  FENCED_MEMBER_EPOCH: {
    code: 110,
    retriable: false,
    message: 'The member epoch is fenced; the member must release its partitions and rejoin.',
  },
  UNRELEASED_INSTANCE_ID: {
    code: 111,
    retriable: false,
    message: 'Another member still holds this instance id and must leave first.',
  },
  UNSUPPORTED_ASSIGNOR: {
    code: 112,
    retriable: false,
    message: 'The group does not support the assignor or its version range.',
  },
  STALE_MEMBER_EPOCH: {
    code: 113,
    retriable: false,
    message: 'The member epoch is stale; retry after the next heartbeat returns the current epoch.',
  },
  MISMATCHED_ENDPOINT_TYPE: {
    code: 114,
    retriable: false,
    message: 'The request arrived on an endpoint of the wrong type.',
  },
  UNSUPPORTED_ENDPOINT_TYPE: { code: 115, retriable: false, message: 'This endpoint type is not supported.' },
  UNKNOWN_CONTROLLER_ID: { code: 116, retriable: false, message: 'The controller id is unknown.' },
  UNKNOWN_SUBSCRIPTION_ID: {
    code: 117,
    retriable: false,
    message: 'The telemetry subscription id is unknown or outdated.',
  },
  TELEMETRY_TOO_LARGE: {
    code: 118,
    retriable: false,
    message: 'The telemetry push exceeds the largest size the broker accepts.',
  },
  INVALID_REGISTRATION: {
    code: 119,
    retriable: false,
    message: 'The controller considers the broker registration invalid.',
  },
  TRANSACTION_ABORTABLE: {
    code: 120,
    retriable: false,
    message: 'The transaction hit an error; abort it to keep using the transactional id.',
  },
  INVALID_RECORD_STATE: {
    code: 121,
    retriable: false,
    message: 'The record is not in a state that allows this acknowledgement.',
  },
  SHARE_SESSION_NOT_FOUND: { code: 122, retriable: true, message: 'The share session does not exist.' },
  INVALID_SHARE_SESSION_EPOCH: {
    code: 123,
    retriable: true,
    message: 'The share session epoch is not the expected one.',
  },
  FENCED_STATE_EPOCH: {
    code: 124,
    retriable: false,
    message: "The share-group state epoch does not match the share coordinator's.",
  },
  INVALID_VOTER_KEY: {
    code: 125,
    retriable: false,
    message: 'The voter key does not match the key of the receiving replica.',
  },
  DUPLICATE_VOTER: { code: 126, retriable: false, message: 'The voter is already in the voter set.' },
  VOTER_NOT_FOUND: { code: 127, retriable: false, message: 'The voter is not in the voter set.' },
  INVALID_REGULAR_EXPRESSION: { code: 128, retriable: false, message: 'The regular expression is invalid.' },
  REBOOTSTRAP_REQUIRED: {
    code: 129,
    retriable: false,
    message: "The client's metadata is stale; it must rebootstrap.",
  },
  STREAMS_INVALID_TOPOLOGY: { code: 130, retriable: false, message: 'The streams topology is invalid.' },
  STREAMS_INVALID_TOPOLOGY_EPOCH: { code: 131, retriable: false, message: 'The streams topology epoch is invalid.' },
  STREAMS_TOPOLOGY_FENCED: { code: 132, retriable: false, message: 'The streams topology epoch is out of date.' },
  SHARE_SESSION_LIMIT_REACHED: {
    code: 133,
    retriable: true,
    message: 'The broker has reached its limit of share sessions.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof ERRORS;

/** The wire code of each error by Kafka's name: `ErrorCode.UNKNOWN_TOPIC_OR_PARTITION` is 3. */
export const ErrorCode = Object.freeze(
  Object.fromEntries(Object.entries(ERRORS).map(([name, spec]) => [name, spec.code])),
) as { readonly [N in ErrorName]: (typeof ERRORS)[N]['code'] };

export interface KafkaErrorInfo {
  readonly code: number;
  readonly name: ErrorName;
  readonly retriable: boolean;
  readonly message: string;
}

/** Every error, in order of code. */
export const KAFKA_ERRORS: readonly KafkaErrorInfo[] = Object.freeze(
  (Object.keys(ERRORS) as ErrorName[]).map((name) => Object.freeze({ name, ...ERRORS[name] })),
);

const byCode = new Map<number, KafkaErrorInfo>();
for (const info of KAFKA_ERRORS) {
  if (byCode.has(info.code)) throw new Error(`error code ${info.code} defined twice`);
  byCode.set(info.code, info);
}

/** The error with this wire code, or undefined for a code Kafka 4.1 does not define. */
export function errorInfo(code: number): KafkaErrorInfo | undefined {
  return byCode.get(code);
}
