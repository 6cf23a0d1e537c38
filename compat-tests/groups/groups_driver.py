"""Consumer-group driver for kafka-python and confluent-kafka-python (compat-tests/groups).

    python groups_driver.py <kafka-python|confluent-kafka> '{"bootstrap": ..., "topic": ..., "group": ...,
                                                            "members": 2, "count": 100}'

Starts `members` consumers of one group in threads (subscribe, earliest, no auto commit), polls until
they have `count` messages between them, commits synchronously, closes, and prints one JSON object:
{"version": ..., "members": [{"values": [...], "partitions": [...]}, ...]}.
"""
import json
import sys
import threading
import time


def kafka_python(a, idx, out, total, lock):
    import kafka
    c = kafka.KafkaConsumer(
        bootstrap_servers=a["bootstrap"], group_id=a["group"], client_id="kp-%d" % idx,
        auto_offset_reset="earliest", enable_auto_commit=False,
        session_timeout_ms=6000, heartbeat_interval_ms=300, max_poll_interval_ms=60000,
    )
    c.subscribe([a["topic"]])
    deadline = time.time() + 120
    while time.time() < deadline:
        recs = c.poll(timeout_ms=200)
        with lock:
            for tp, ms in recs.items():
                for m in ms:
                    out["values"].append(m.value.decode())
                    out["partitions"].add(tp.partition)
                    total[0] += 1
            if recs:
                c.commit()
            if total[0] >= a["count"]:
                break
    c.commit()
    c.close()


def confluent(a, idx, out, total, lock):
    import confluent_kafka
    c = confluent_kafka.Consumer({
        "bootstrap.servers": a["bootstrap"], "group.id": a["group"], "client.id": "ck-%d" % idx,
        "auto.offset.reset": "earliest", "enable.auto.commit": False,
        "session.timeout.ms": 6000, "heartbeat.interval.ms": 300,
        "partition.assignment.strategy": a.get("strategy", "range"),
    })
    c.subscribe([a["topic"]])
    deadline = time.time() + 120
    while time.time() < deadline:
        ms = c.consume(num_messages=100, timeout=0.2)
        with lock:
            for m in ms:
                if m.error():
                    raise Exception(str(m.error()))
                out["values"].append(m.value().decode())
                out["partitions"].add(m.partition())
                total[0] += 1
            done = total[0] >= a["count"]
        if ms:
            c.commit(asynchronous=False)
        if done:
            break
    c.close()


def main():
    client, a = sys.argv[1], json.loads(sys.argv[2])
    if client == "kafka-python":
        import kafka
        run, version = kafka_python, kafka.__version__
    else:
        import confluent_kafka
        run, version = confluent, "%s (librdkafka %s)" % (confluent_kafka.__version__, confluent_kafka.libversion()[0])
    lock, total = threading.Lock(), [0]
    outs = [{"values": [], "partitions": set()} for _ in range(a["members"])]
    threads = [threading.Thread(target=run, args=(a, i, outs[i], total, lock)) for i in range(a["members"])]
    errors = []
    for t in threads:
        t.start()
        time.sleep(0.2)
    for t in threads:
        t.join()
    print(json.dumps({
        "version": version,
        "members": [{"values": o["values"], "partitions": sorted(o["partitions"])} for o in outs],
        "errors": errors,
    }))


if __name__ == "__main__":
    main()
