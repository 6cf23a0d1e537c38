"""Drives kafka-python (Debian's 2.0.2 under /usr/bin/python3, or the newest from PyPI in .cache/venv).

    python driver.py <command> '<json args>'

Prints one JSON object on stdout. Records are exchanged as JSON lines (see compat-tests/harness/records.ts):
the dataset is read from args["dataset"], consumed records are written to args["out"]. Only kafka-python's
public API is used. The same script runs on both versions; where they differ it says so.
"""
import base64
import inspect
import json
import sys
import time

import kafka
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import KafkaError

CODEC = {"none": None, "gzip": "gzip", "snappy": "snappy", "lz4": "lz4", "zstd": "zstd"}


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
    return KafkaAdminClient(bootstrap_servers=a["bootstrap"], client_id="compat-kafka-python")


def consumer(a, **kw):
    return KafkaConsumer(
        bootstrap_servers=a["bootstrap"],
        group_id=None,  # assigned, group-less
        enable_auto_commit=False,
        client_id="compat-kafka-python",
        **kw,
    )


def error_name(e):
    return type(e).__name__


def cmd_create_topic(a):
    ad = admin(a)
    try:
        ad.create_topics([NewTopic(a["topic"], a["partitions"], 1, topic_configs=a.get("config", {}))])
    finally:
        ad.close()
    # CreateTopics can return before the broker serves the partitions; an acks=0 record sent in that
    # window is dropped silently. Wait (bounded) until ListOffsets answers for every partition.
    c = consumer(a)
    try:
        tps = [TopicPartition(a["topic"], p) for p in range(a["partitions"])]
        for _ in range(100):
            try:
                if len(c.end_offsets(tps)) == len(tps):
                    return {"ok": True}
            except KafkaError:
                pass
            time.sleep(0.1)
        return {"ok": False}
    finally:
        c.close()


def cmd_produce(a):
    """One producer per combo (codec and acks are producer settings), sending its partition's records in order."""
    parts = load(a["dataset"])
    offsets = {}
    for combo in a["combos"]:
        p = combo["partition"]
        acks = "all" if combo["acks"] == -1 else combo["acks"]
        prod = KafkaProducer(
            bootstrap_servers=a["bootstrap"],
            client_id="compat-kafka-python",
            compression_type=CODEC[combo["codec"]],
            acks=acks,
            linger_ms=5,
            max_in_flight_requests_per_connection=1,
            max_request_size=a.get("max_request_size", 1048576),
            retries=0 if acks == 0 else 5,
        )
        try:
            futures = []
            for r in parts.get(p, []):
                if r["k"] is None and r["v"] is None:
                    # kafka-python refuses a record with neither key nor value ("Need at least one:
                    # key or value"); such records go with an empty key, which the test expects back.
                    r["k"] = ""
                futures.append(
                    prod.send(
                        a["topic"],
                        value=unb64(r["v"]),
                        key=unb64(r["k"]),
                        headers=[(k, unb64(v)) for k, v in r["h"]],
                        partition=p,
                        timestamp_ms=r["ts"],
                    )
                )
            prod.flush()
            offsets[p] = [f.get(timeout=60).offset for f in futures]
            if acks == 0:
                # With acks=0 flush() returns once requests are handed to the connection; closing the
                # producer right away can drop what the socket has not written yet (seen once under load
                # with 3.0.12). Keep it open until the broker has every record (bounded wait).
                wait_for_end(a, p, len(futures))
        finally:
            prod.close()
    return {"offsets": offsets}


def wait_for_end(a, partition, n, tries=100):
    c = consumer(a)
    try:
        tp = TopicPartition(a["topic"], partition)
        for _ in range(tries):
            if c.end_offsets([tp])[tp] >= n:
                return
            time.sleep(0.1)
    finally:
        c.close()


def cmd_send_one(a):
    """Sends one record of a["size"] bytes; returns its offset or the error's class name."""
    prod = KafkaProducer(
        bootstrap_servers=a["bootstrap"],
        client_id="compat-kafka-python",
        acks="all",
        retries=0,
        max_request_size=a.get("max_request_size", 1048576),
        max_block_ms=a.get("max_block_ms", 60000),
    )
    try:
        value = bytes(i % 251 for i in range(a["size"]))
        try:
            md = prod.send(a["topic"], value=value, key=b"k", partition=a.get("partition")).get(timeout=60)
            return {"offset": md.offset}
        except KafkaError as e:
            return {"error": error_name(e), "message": str(e)}
    finally:
        prod.close()


def cmd_consume(a):
    """Assigned consumer: reads each partition from its start offset up to its end offset."""
    c = consumer(a, fetch_max_bytes=16 << 20, max_partition_fetch_bytes=4 << 20, auto_offset_reset="none")
    n = 0
    try:
        ranges = {int(p): v for p, v in a["ranges"].items()}
        tps = {p: TopicPartition(a["topic"], p) for p in ranges}
        c.assign(list(tps.values()))
        for p, (start, _) in ranges.items():
            c.seek(tps[p], start)
        pending = {p for p, (start, end) in ranges.items() if end > start}
        last = {}
        with open(a["out"], "w") as out:
            while pending:
                for tp, msgs in c.poll(timeout_ms=500).items():
                    for m in msgs:
                        out.write(
                            json.dumps(
                                {
                                    "p": m.partition,
                                    "o": m.offset,
                                    "k": b64(m.key),
                                    "v": b64(m.value),
                                    "h": [[k, b64(v)] for k, v in (m.headers or [])],
                                    "ts": m.timestamp,
                                }
                            )
                            + "\n"
                        )
                        n += 1
                        last[m.partition] = m.offset
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
        if a["spec"] == "earliest":
            r = c.beginning_offsets(tps)
            return {str(tp.partition): o for tp, o in r.items()}
        if a["spec"] == "latest":
            r = c.end_offsets(tps)
            return {str(tp.partition): o for tp, o in r.items()}
        r = c.offsets_for_times({tp: a["spec"] for tp in tps})
        return {str(tp.partition): (None if ot is None else ot.offset) for tp, ot in r.items()}
    finally:
        c.close()


def cmd_fetch_below_start(a):
    """Seeks below the log start offset with auto_offset_reset='none'; returns the error poll() raises."""
    c = consumer(a, auto_offset_reset="none")
    tp = TopicPartition(a["topic"], 0)
    try:
        c.assign([tp])
        c.seek(tp, a["offset"])
        for _ in range(20):
            try:
                got = c.poll(timeout_ms=500)
            except KafkaError as e:
                return {"error": error_name(e), "message": str(e)}
            if got:
                return {"records": [m.offset for ms in got.values() for m in ms]}
        return {"error": None}
    finally:
        c.close()


def cmd_delete_records(a):
    ad = admin(a)
    try:
        if not hasattr(ad, "delete_records"):
            return {"unsupported": "KafkaAdminClient.delete_records does not exist in kafka-python %s" % kafka.__version__}
        r = ad.delete_records({TopicPartition(a["topic"], a["partition"]): a["offset"]})
        return {"result": {str(tp.partition): v for tp, v in r.items()} if isinstance(r, dict) else str(r)}
    finally:
        ad.close()


def cmd_unknown_topic(a):
    """What the client reports for a topic the broker does not have, through Metadata and through send()."""
    out = {}
    ad = admin(a)
    try:
        # describe_topics returns the Metadata response's per-topic error code rather than raising
        out["describe"] = {"error_code": [t["error_code"] for t in ad.describe_topics([a["topic"]])]}
        out["topics"] = sorted(ad.list_topics())
    finally:
        ad.close()
    prod = KafkaProducer(bootstrap_servers=a["bootstrap"], client_id="compat-kafka-python", max_block_ms=3000)
    try:
        prod.send(a["topic"], value=b"x").get(timeout=10)
        out["send"] = {"error": None}
    except KafkaError as e:
        out["send"] = {"error": error_name(e), "message": str(e)}
    finally:
        prod.close()
    return out


def entries_of(resp):
    """Config entries from describe_configs' result. 2.0.2 returns the protocol structs; 3.x returns
    {"topic"|"broker": {name: {config: {"value": ...}}}}."""
    out = {}
    if isinstance(resp, dict):
        for by_name in resp.values():
            for configs in by_name.values():
                for k, e in configs.items():
                    out[k] = e["value"]
        return out
    for r in resp:
        for res in r.resources:
            error_code, entries = res[0], res[4]
            if error_code:
                raise RuntimeError("describe_configs error %d" % error_code)
            for e in entries:
                out[e[0]] = e[1]
    return out


def describe(ad, resources):
    # 3.x filters to non-default entries unless told otherwise; 2.0.2 has no such parameter.
    if "config_filter" in inspect.signature(ad.describe_configs).parameters:
        return entries_of(ad.describe_configs(resources, config_filter="all"))
    return entries_of(ad.describe_configs(resources))


def cmd_configs(a):
    ad = admin(a)
    try:
        t = ConfigResourceType.TOPIC
        names = ["retention.ms", "cleanup.policy", "max.message.bytes"]
        # 2.0.2 wants the config names as the keys of a dict
        before = describe(ad, [ConfigResource(t, a["topic"], configs=dict.fromkeys(names))])
        ad.alter_configs([ConfigResource(t, a["topic"], configs={"retention.ms": "86400000"})])
        after = describe(ad, [ConfigResource(t, a["topic"], configs={"retention.ms": None})])
        broker = describe(
            ad, [ConfigResource(ConfigResourceType.BROKER, str(a["broker_id"]), configs={"auto.create.topics.enable": None})]
        )
        return {
            "before": {k: before.get(k) for k in names},
            "after": after.get("retention.ms"),
            "broker": broker.get("auto.create.topics.enable"),
        }
    finally:
        ad.close()


def main():
    cmd, args = sys.argv[1], json.loads(sys.argv[2])
    result = globals()["cmd_" + cmd](args)
    result["_version"] = kafka.__version__
    print(json.dumps(result))


if __name__ == "__main__":
    main()
