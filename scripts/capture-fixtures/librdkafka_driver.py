"""Drives librdkafka, through confluent-kafka's Python binding (it bundles librdkafka), against the
recording proxy: admin calls, producers with every codec (gzip, snappy, lz4, zstd), an idempotent and
a transactional producer, a classic consumer group that commits, and offset and group admin.

    python librdkafka_driver.py 127.0.0.1:19192 [--consumer-protocol]

With --consumer-protocol a second group uses the KIP-848 protocol (ConsumerGroupHeartbeat). A call
that a single-node Kafka refuses is still made (its error response is a fixture too) and only logged.
"""

import sys
import time
import warnings

from confluent_kafka import (
    Consumer,
    ConsumerGroupTopicPartitions,
    Producer,
    TopicCollection,
    TopicPartition,
)
from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewPartitions,
    NewTopic,
    OffsetSpec,
    ResourcePatternType,
    ResourceType,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialUpsertion,
)
from confluent_kafka import ElectionType

BROKER = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:19192"
CONSUMER_PROTOCOL = "--consumer-protocol" in sys.argv
TOPIC = "rdk-events"
OTHER = "rdk-other"
GROUP = "rdk-group"
BASE = {"bootstrap.servers": BROKER, "client.id": "samsa-golden-librdkafka"}


def log(msg):
    print(f"librdkafka-driver: {msg}", file=sys.stderr, flush=True)


def wait_all(what, futures):
    """Waits for a dict (or list) of futures; logs failures instead of raising."""
    items = futures.items() if isinstance(futures, dict) else enumerate(futures)
    for key, fut in items:
        try:
            fut.result(timeout=30)
        except Exception as err:  # noqa: BLE001 - every refusal is expected and only logged
            log(f"{what} {key}: {err}")


def attempt(what, fn):
    try:
        return fn()
    except Exception as err:  # noqa: BLE001
        log(f"{what}: {err}")
        return None


admin = AdminClient(dict(BASE))
admin.list_topics(timeout=10)
wait_all("create_topics", admin.create_topics(
    [
        NewTopic(TOPIC, num_partitions=2, replication_factor=1, config={"compression.type": "producer"}),
        NewTopic(OTHER, num_partitions=1, replication_factor=1),
    ],
    operation_timeout=10,
))
wait_all("create_topics (exists)", admin.create_topics([NewTopic(OTHER, num_partitions=1)]))
time.sleep(1)  # let the new partitions' leaders settle before producing
wait_all("describe_configs", admin.describe_configs(
    [ConfigResource(ResourceType.TOPIC, TOPIC), ConfigResource(ResourceType.BROKER, "1")]
))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # AlterConfigs is the point here
    wait_all("alter_configs", admin.alter_configs(
        [ConfigResource(ResourceType.TOPIC, OTHER, set_config={"retention.ms": "7200000"})]
    ))
wait_all("incremental_alter_configs", admin.incremental_alter_configs([
    ConfigResource(
        ResourceType.TOPIC,
        TOPIC,
        incremental_configs=[ConfigEntry("retention.bytes", "1048576", incremental_operation=AlterConfigOpType.SET)],
    )
]))
wait_all("create_partitions", admin.create_partitions([NewPartitions(OTHER, 2)]))
wait_all("describe_topics", admin.describe_topics(TopicCollection([TOPIC, OTHER])))
wait_all("describe_cluster", [admin.describe_cluster()])
acl = AclBinding(ResourceType.TOPIC, TOPIC, ResourcePatternType.LITERAL, "User:golden", "*",
                 AclOperation.READ, AclPermissionType.ALLOW)
wait_all("create_acls", admin.create_acls([acl]))
wait_all("describe_acls", [admin.describe_acls(AclBindingFilter(
    ResourceType.ANY, None, ResourcePatternType.ANY, None, None, AclOperation.ANY, AclPermissionType.ANY))])
wait_all("delete_acls", admin.delete_acls([AclBindingFilter(
    ResourceType.TOPIC, TOPIC, ResourcePatternType.LITERAL, None, None, AclOperation.ANY, AclPermissionType.ANY)]))
wait_all("alter_user_scram_credentials", admin.alter_user_scram_credentials([
    UserScramCredentialUpsertion("golden", ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), b"secret", b"salt")
]))
wait_all("describe_user_scram_credentials", admin.describe_user_scram_credentials(["golden"]))

# Producers: one per codec, small batches, keys and headers.
for codec in ("gzip", "snappy", "lz4", "zstd", "none"):
    producer = Producer({**BASE, "compression.type": codec, "linger.ms": 20, "enable.idempotence": False})
    for i in range(6):
        producer.produce(TOPIC, key=f"{codec}-{i}", value=f"{codec} value {i} " + "y" * (i * 12),
                         partition=i % 2, headers=[("codec", codec.encode())] if i % 3 == 0 else None)
    producer.produce(OTHER, value=f"{codec} other")
    if producer.flush(30) != 0:
        log(f"producer {codec}: messages left unflushed")

idem = Producer({**BASE, "enable.idempotence": True, "compression.type": "lz4", "linger.ms": 20})
for i in range(4):
    idem.produce(TOPIC, key=f"idem-{i}", value=f"idempotent {i}", partition=i % 2)
idem.flush(30)

txn = Producer({**BASE, "transactional.id": "rdk-txn", "linger.ms": 10})


def run_transactions():
    txn.init_transactions(30)
    txn.begin_transaction()
    txn.produce(TOPIC, key="txn", value="committed in a transaction", partition=0)
    meta = Consumer({**BASE, "group.id": "rdk-txn-group"}).consumer_group_metadata()
    txn.send_offsets_to_transaction([TopicPartition(OTHER, 0, 1)], meta, 30)
    txn.commit_transaction(30)
    txn.begin_transaction()
    txn.produce(TOPIC, value="aborted", partition=1)
    txn.flush(30)
    txn.abort_transaction(30)


attempt("transactions", run_transactions)
txn.flush(10)


def consume(group, count, extra):
    consumer = Consumer({
        **BASE,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "max.partition.fetch.bytes": 16384,
        "isolation.level": "read_committed",
        **extra,
    })
    consumer.subscribe([TOPIC, OTHER])
    got = 0
    polls = 0
    while got < count and polls < 120:
        polls += 1
        msg = consumer.poll(1.0)
        if msg is None or msg.error():
            continue
        got += 1
        if got % 5 == 0:
            consumer.commit(message=msg, asynchronous=False)
    attempt("final commit", lambda: consumer.commit(asynchronous=False))
    consumer.committed([TopicPartition(TOPIC, 0), TopicPartition(TOPIC, 1)], timeout=10)
    consumer.get_watermark_offsets(TopicPartition(TOPIC, 0), timeout=10)
    consumer.offsets_for_times([TopicPartition(TOPIC, 0, int(time.time() * 1000) - 60000)], timeout=10)
    consumer.close()
    log(f"group {group}: consumed {got} messages in {polls} polls")


consume(GROUP, 30, {"partition.assignment.strategy": "range,roundrobin"})
if CONSUMER_PROTOCOL:
    attempt("consumer protocol group", lambda: consume("rdk-group-848", 10, {"group.protocol": "consumer"}))

wait_all("list_consumer_groups", [admin.list_consumer_groups()])
wait_all("describe_consumer_groups", admin.describe_consumer_groups([GROUP]))
wait_all("list_consumer_group_offsets", admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(GROUP)]))
wait_all("alter_consumer_group_offsets", admin.alter_consumer_group_offsets(
    [ConsumerGroupTopicPartitions(GROUP, [TopicPartition(TOPIC, 0, 1)])]
))
wait_all("list_offsets", admin.list_offsets({
    TopicPartition(TOPIC, 0): OffsetSpec.earliest(),
    TopicPartition(TOPIC, 1): OffsetSpec.latest(),
    TopicPartition(OTHER, 0): OffsetSpec.max_timestamp(),
}))
wait_all("delete_records", admin.delete_records([TopicPartition(TOPIC, 0, 2)]))
wait_all("elect_leaders", [admin.elect_leaders(ElectionType.PREFERRED, [TopicPartition(TOPIC, 0)])])
wait_all("delete_consumer_groups", admin.delete_consumer_groups([GROUP, "rdk-txn-group"]))
wait_all("delete_topics", admin.delete_topics([TOPIC, OTHER], operation_timeout=10))
log("done")
