"""Drives kafka-python (pure Python, its own protocol code) against the recording proxy: admin calls
(topics, configs, partitions, ACLs, SCRAM users, groups, offsets, records, transactions, log dirs,
quorum, features), producers with gzip, lz4, zstd and snappy, an idempotent and a transactional
producer, and a consumer group that commits.

    python kafka_python_driver.py 127.0.0.1:19192

A call that a single-node Kafka refuses is still made (its error response is a fixture too) and is
only logged.
"""

import logging
import sys
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import (
    ACL,
    ACLFilter,
    ACLOperation,
    ACLPermissionType,
    ConfigResource,
    ConfigResourceType,
    OffsetSpec,
    ResourcePattern,
    ResourcePatternFilter,
    ResourceType,
    ScramMechanism,
    UserScramCredentialUpsertion,
)
from kafka.admin._acls import ACLResourcePatternType
from kafka.admin._partitions import NewPartitions
from kafka.admin._topics import NewTopic

BROKER = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:19192"
TOPIC = "kpy-events"
OTHER = "kpy-other"
GROUP = "kpy-group"
BASE = {"bootstrap_servers": BROKER, "client_id": "samsa-golden-kafka-python"}

logging.basicConfig(level=logging.CRITICAL)


def log(msg):
    print(f"kafka-python-driver: {msg}", file=sys.stderr, flush=True)


def attempt(what, fn):
    try:
        return fn()
    except Exception as err:  # noqa: BLE001 - every refusal is expected and only logged
        log(f"{what}: {type(err).__name__}: {err}")
        return None


admin = KafkaAdminClient(**BASE)
attempt("list_topics", admin.list_topics)
attempt("create_topics", lambda: admin.create_topics(
    [
        NewTopic(TOPIC, num_partitions=2, replication_factor=1, topic_configs={"retention.ms": "3600000"}),
        NewTopic(OTHER, num_partitions=1, replication_factor=1),
    ],
    wait_for_metadata=True,
))
attempt("create_topics (exists)", lambda: admin.create_topics([NewTopic(OTHER, 1, 1)]))
attempt("describe_topics", lambda: admin.describe_topics([TOPIC, OTHER]))
attempt("describe_topic_partitions", lambda: admin.describe_topic_partitions([TOPIC]))
attempt("describe_cluster", admin.describe_cluster)
attempt("describe_configs", lambda: admin.describe_configs(
    [ConfigResource(ConfigResourceType.TOPIC, TOPIC), ConfigResource(ConfigResourceType.BROKER, "1")],
    include_synonyms=True,
))
attempt("alter_configs (incremental)", lambda: admin.alter_configs(
    [ConfigResource(ConfigResourceType.TOPIC, TOPIC, {"retention.bytes": "1048576"})], incremental=True))
attempt("alter_configs (legacy)", lambda: admin.alter_configs(
    [ConfigResource(ConfigResourceType.TOPIC, OTHER, {"retention.ms": "7200000"})], incremental=False))
attempt("create_partitions", lambda: admin.create_partitions({OTHER: NewPartitions(2)}))
pattern = ResourcePattern(ResourceType.TOPIC, TOPIC, ACLResourcePatternType.LITERAL)
attempt("create_acls", lambda: admin.create_acls(
    [ACL("User:golden", "*", ACLOperation.WRITE, ACLPermissionType.ALLOW, pattern)]))
any_filter = ACLFilter(None, None, ACLOperation.ANY, ACLPermissionType.ANY,
                       ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY))
attempt("describe_acls", lambda: admin.describe_acls(any_filter))
attempt("delete_acls", lambda: admin.delete_acls([any_filter]))
attempt("alter_user_scram_credentials", lambda: admin.alter_user_scram_credentials(
    [UserScramCredentialUpsertion("kpy-user", ScramMechanism.SCRAM_SHA_512, "secret", iterations=4096)]))
attempt("describe_user_scram_credentials", lambda: admin.describe_user_scram_credentials(["kpy-user"]))
attempt("describe_log_dirs", admin.describe_log_dirs)
attempt("describe_metadata_quorum", admin.describe_metadata_quorum)
attempt("describe_features", admin.describe_features)
time.sleep(1)  # let the new partitions' leaders settle before producing

for codec in ("gzip", "lz4", "zstd", "snappy", None):
    producer = attempt(f"producer {codec}", lambda: KafkaProducer(**BASE, compression_type=codec, linger_ms=20))
    if producer is None:
        continue
    for i in range(6):
        producer.send(TOPIC, key=f"{codec}-{i}".encode(), value=f"{codec} value {i} {'w' * (i * 9)}".encode(),
                      partition=i % 2, headers=[("codec", str(codec).encode())] if i % 3 == 0 else None)
    producer.send(OTHER, value=f"{codec} other".encode())
    producer.flush(30)
    producer.close(10)

idem = attempt("idempotent producer", lambda: KafkaProducer(**BASE, enable_idempotence=True, acks="all"))
if idem is not None:
    for i in range(3):
        idem.send(TOPIC, value=f"idempotent {i}".encode(), partition=i % 2)
    idem.flush(30)
    idem.close(10)


def transactions():
    txn = KafkaProducer(**BASE, transactional_id="kpy-txn", enable_idempotence=True)
    txn.init_transactions()
    txn.begin_transaction()
    txn.send(TOPIC, key=b"txn", value=b"committed in a transaction", partition=0)
    txn.send_offsets_to_transaction({TopicPartition(OTHER, 0): _offset_and_metadata(1)}, "kpy-txn-group")
    txn.commit_transaction()
    txn.begin_transaction()
    txn.send(TOPIC, value=b"aborted", partition=1)
    txn.abort_transaction()
    txn.close(10)


def _offset_and_metadata(offset):
    from kafka.structs import OffsetAndMetadata

    try:
        return OffsetAndMetadata(offset, "", -1)
    except TypeError:
        return OffsetAndMetadata(offset, "")


attempt("transactions", transactions)


def consume():
    consumer = KafkaConsumer(
        TOPIC,
        OTHER,
        **BASE,
        group_id=GROUP,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_partition_fetch_bytes=16384,
        fetch_max_wait_ms=200,
        isolation_level="read_committed",
    )
    got = 0
    for _ in range(60):
        batch = consumer.poll(timeout_ms=500)
        got += sum(len(msgs) for msgs in batch.values())
        if batch:
            consumer.commit()
        if got >= 30:
            break
    consumer.committed(TopicPartition(TOPIC, 0))
    consumer.beginning_offsets([TopicPartition(TOPIC, 0)])
    consumer.end_offsets([TopicPartition(TOPIC, 1)])
    consumer.offsets_for_times({TopicPartition(TOPIC, 0): int(time.time() * 1000) - 60000})
    consumer.close()
    log(f"group {GROUP}: consumed {got} messages")


attempt("consume", consume)

attempt("list_groups", admin.list_groups)
attempt("describe_groups", lambda: admin.describe_groups([GROUP], include_authorized_operations=True))
attempt("list_group_offsets", lambda: admin.list_group_offsets({GROUP: None}))
attempt("alter_group_offsets", lambda: admin.alter_group_offsets(GROUP, {TopicPartition(TOPIC, 0): _offset_and_metadata(1)}))
attempt("delete_group_offsets", lambda: admin.delete_group_offsets(GROUP, [TopicPartition(OTHER, 0)]))
attempt("list_partition_offsets", lambda: admin.list_partition_offsets({
    TopicPartition(TOPIC, 0): OffsetSpec.EARLIEST,
    TopicPartition(TOPIC, 1): OffsetSpec.LATEST,
    TopicPartition(OTHER, 0): OffsetSpec.MAX_TIMESTAMP,
}))
attempt("delete_records", lambda: admin.delete_records({TopicPartition(TOPIC, 0): 2}))
attempt("list_partition_reassignments", admin.list_partition_reassignments)
attempt("list_transactions", admin.list_transactions)
attempt("describe_transactions", lambda: admin.describe_transactions(["kpy-txn"]))
attempt("describe_producers", lambda: admin.describe_producers([TopicPartition(TOPIC, 0)]))
attempt("delete_groups", lambda: admin.delete_groups([GROUP, "kpy-txn-group"]))
attempt("delete_topics", lambda: admin.delete_topics([TOPIC, OTHER]))
admin.close()
log("done")
