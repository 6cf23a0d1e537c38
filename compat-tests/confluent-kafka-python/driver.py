"""Drives confluent-kafka-python (librdkafka bundled in its wheel), from .cache/venv.

    python driver.py <command> '<json args>'

Prints one JSON object on stdout; records are exchanged as JSON lines (compat-tests/harness/records.ts).
Same command set as compat-tests/kafka-python/driver.py; see compat-tests/harness/file-driver.ts.
"""
import base64
import json
import sys
import time

import confluent_kafka
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import (
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewTopic,
)


def b64(b):
    return None if b is None else base64.b64encode(b).decode()


def unb64(s):
    return None if s is None else base64.b64decode(s)


def load(path):
    parts = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            parts.setdefault(r["p"], []).append(r)
    return parts


def admin(a):
    return AdminClient({"bootstrap.servers": a["bootstrap"]})


def consumer(a, **conf):
    # The group.id is required by the binding; with assign() and no commits no group is ever joined.
    c = {
        "bootstrap.servers": a["bootstrap"],
        "group.id": "compat-confluent-kafka-python-assigned",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
    }
    c.update(conf)
    return Consumer(c)


def cmd_create_topic(a):
    ad = admin(a)
    fs = ad.create_topics([NewTopic(a["topic"], num_partitions=a["partitions"], replication_factor=1, config=a.get("config", {}))])
    for f in fs.values():
        f.result()
    # CreateTopics can return before the broker serves the partitions; an acks=0 record sent in that
    # window is dropped silently. Wait (bounded) until every partition answers ListOffsets.
    c = consumer(a)
    try:
        for _ in range(100):
            try:
                for p in range(a["partitions"]):
                    c.get_watermark_offsets(TopicPartition(a["topic"], p), timeout=5)
                return {"ok": True}
            except KafkaException:
                time.sleep(0.1)
        return {"ok": False}
    finally:
        c.close()


class Sender:
    """A librdkafka producer that records each message's delivery report by sequence number."""

    def __init__(self, conf):
        self.p = Producer(conf)
        self.reports = {}

    def send(self, topic, partition, r, seq):
        def done(err, msg, seq=seq):
            self.reports[seq] = (err, msg.offset() if err is None else None)

        while True:
            try:
                self.p.produce(
                    topic,
                    value=unb64(r["v"]),
                    key=unb64(r["k"]),
                    partition=partition,
                    timestamp=r["ts"],
                    headers=[(k, unb64(v)) for k, v in r["h"]] or None,
                    on_delivery=done,
                )
                break
            except BufferError:
                self.p.poll(0.1)  # local queue full: serve delivery reports, then retry
        self.p.poll(0)


def cmd_produce(a):
    parts = load(a["dataset"])
    offsets = {}
    for combo in a["combos"]:
        p = combo["partition"]
        s = Sender(
            {
                "bootstrap.servers": a["bootstrap"],
                "compression.type": combo["codec"],
                "acks": combo["acks"],
                "linger.ms": 5,
                "enable.idempotence": False,
                "max.in.flight.requests.per.connection": 1,
            }
        )
        records = parts.get(p, [])
        # librdkafka can put records produced before it has the topic's metadata behind later ones;
        # the first record goes alone and is acknowledged first.
        for i, r in enumerate(records):
            s.send(a["topic"], p, r, i)
            if i == 0:
                s.p.flush(60)
        s.p.flush(120)
        errors = [(i, str(e)) for i, (e, _) in s.reports.items() if e is not None]
        if errors:
            return {"errors": errors[:10]}
        offsets[p] = [s.reports[i][1] for i in range(len(records))]
    return {"offsets": offsets}


def cmd_send_one(a):
    s = Sender({"bootstrap.servers": a["bootstrap"], "acks": "all", "message.max.bytes": a.get("max_request_size", 1000000),
                "topic.metadata.propagation.max.ms": 1000, "message.timeout.ms": 10000})
    value = bytes(i % 251 for i in range(a["size"]))
    s.send(a["topic"], a.get("partition", -1), {"k": b64(b"k"), "v": b64(value), "h": [], "ts": int(time.time() * 1000)}, 0)
    s.p.flush(60)
    err, offset = s.reports[0]
    if err is not None:
        return {"error": err.name(), "code": err.code(), "message": err.str()}
    return {"offset": offset}


def cmd_consume(a):
    c = consumer(a, **{"auto.offset.reset": "error", "fetch.max.bytes": 16 << 20})
    n = 0
    try:
        ranges = {int(p): v for p, v in a["ranges"].items()}
        c.assign([TopicPartition(a["topic"], p, start) for p, (start, _) in ranges.items()])
        pending = {p for p, (start, end) in ranges.items() if end > start}
        last = {}
        with open(a["out"], "w") as out:
            while pending:
                for m in c.consume(num_messages=1000, timeout=0.5):
                    if m.error():
                        raise KafkaException(m.error())
                    out.write(
                        json.dumps(
                            {
                                "p": m.partition(),
                                "o": m.offset(),
                                "k": b64(m.key()),
                                "v": b64(m.value()),
                                "h": [[k, b64(v)] for k, v in (m.headers() or [])],
                                "ts": m.timestamp()[1],
                            }
                        )
                        + "\n"
                    )
                    n += 1
                    last[m.partition()] = m.offset()
                for p in list(pending):
                    if last.get(p, -1) >= ranges[p][1] - 1:
                        pending.discard(p)
    finally:
        c.close()
    return {"count": n}


def cmd_offsets(a):
    c = consumer(a)
    try:
        tps = [TopicPartition(a["topic"], p) for p in a["partitions"]]
        if a["spec"] in ("earliest", "latest"):
            i = 0 if a["spec"] == "earliest" else 1
            return {str(tp.partition): c.get_watermark_offsets(tp, timeout=10)[i] for tp in tps}
        r = c.offsets_for_times([TopicPartition(a["topic"], p, a["spec"]) for p in a["partitions"]], timeout=10)
        # No record at or after the timestamp: the broker's -1 comes back as OFFSET_END (-1).
        return {str(tp.partition): (None if tp.offset < 0 else tp.offset) for tp in r}
    finally:
        c.close()


def cmd_fetch_below_start(a):
    c = consumer(a, **{"auto.offset.reset": "error"})
    try:
        c.assign([TopicPartition(a["topic"], 0, a["offset"])])
        for _ in range(20):
            for m in c.consume(num_messages=10, timeout=0.5):
                if m.error():
                    return {"error": m.error().name(), "message": m.error().str()}
                return {"records": [m.offset()]}
        return {"error": None}
    finally:
        c.close()


def cmd_delete_records(a):
    ad = admin(a)  # must outlive its futures
    fs = ad.delete_records([TopicPartition(a["topic"], a["partition"], a["offset"])], request_timeout=30)
    return {"result": {str(tp.partition): f.result(timeout=60).low_watermark for tp, f in fs.items()}}


def cmd_unknown_topic(a):
    out = {}
    ad = admin(a)
    md = ad.list_topics(topic=a["topic"], timeout=10)
    t = md.topics.get(a["topic"])
    out["metadata"] = {"error": None if t is None or t.error is None else t.error.name()}
    s = Sender({"bootstrap.servers": a["bootstrap"], "topic.metadata.propagation.max.ms": 1000, "message.timeout.ms": 10000})
    s.send(a["topic"], -1, {"k": None, "v": b64(b"x"), "h": [], "ts": int(time.time() * 1000)}, 0)
    s.p.flush(30)
    err = s.reports.get(0, (None, None))[0]
    out["send"] = {"error": None if err is None else err.name()}
    out["topics"] = sorted(ad.list_topics(timeout=10).topics)
    return out


def describe(ad, res):
    (f,) = ad.describe_configs([res]).values()
    return {k: e.value for k, e in f.result().items()}


def cmd_configs(a):
    ad = admin(a)
    t = a["topic"]
    before = describe(ad, ConfigResource("topic", t))
    names = ["retention.ms", "cleanup.policy", "max.message.bytes"]
    # AlterConfigs (replaces the topic's dynamic configs), then IncrementalAlterConfigs (sets one key).
    (f,) = ad.alter_configs([ConfigResource("topic", t, set_config={"retention.ms": "86400000"})]).values()
    f.result()
    (f,) = ad.incremental_alter_configs(
        [ConfigResource("topic", t, incremental_configs=[ConfigEntry("max.message.bytes", "2000000", incremental_operation=AlterConfigOpType.SET)])]
    ).values()
    f.result()
    after = describe(ad, ConfigResource("topic", t))
    broker = describe(ad, ConfigResource("broker", str(a["broker_id"])))
    return {
        "before": {k: before.get(k) for k in names},
        "after": {k: after.get(k) for k in names},
        "broker": broker.get("auto.create.topics.enable"),
    }


def main():
    cmd, args = sys.argv[1], json.loads(sys.argv[2])
    result = globals()["cmd_" + cmd](args)
    result["_version"] = confluent_kafka.__version__
    result["_librdkafka"] = confluent_kafka.libversion()[0]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
