// The chaos and partition tests' client: Kafka's own Java producer (idempotent, acks=all) and an
// assigned consumer, printing one line per event for the TypeScript checker (harness/checker.ts).
//
//   produce <bootstrap> <topic> <producers> <durationMs> <recordsPerSecondPerProducer>
//     (durationMs -1: until stdin closes)
//     ack <producer> <seq> <partition> <offset>      a record the cluster acknowledged
//     fail <producer> <seq> <exception>              a record the producer gave up on (not acknowledged)
//     sent <producer> <count>                        at the end, per producer
//   consume <bootstrap> <topic> <timeoutMs>
//     end <partition> <endOffset>                    the high watermarks read first
//     rec <partition> <offset> <value>               every record below them, from the beginning
//
// Record values are "<producer>:<seq>"; producer i sends seq s to partition s % partitions, so within a
// partition each producer's sequence numbers must appear in increasing order.
import java.io.PrintStream;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class ChaosClient {
  static final PrintStream OUT = new PrintStream(new java.io.BufferedOutputStream(System.out, 1 << 16), false);

  static synchronized void emit(String line) {
    OUT.println(line);
  }

  public static void main(String[] a) throws Exception {
    Thread flusher = new Thread(() -> {
      while (true) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
        synchronized (ChaosClient.class) {
          OUT.flush();
        }
      }
    });
    flusher.setDaemon(true);
    flusher.start();
    if (a[0].equals("produce")) {
      produce(a[1], a[2], Integer.parseInt(a[3]), Long.parseLong(a[4]), Integer.parseInt(a[5]));
    } else if (a[0].equals("consume")) {
      consume(a[1], a[2], Long.parseLong(a[3]));
    } else {
      throw new IllegalArgumentException("produce | consume");
    }
    synchronized (ChaosClient.class) {
      OUT.flush();
    }
  }

  static Properties producerProps(String bootstrap, int id) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("client.id", "chaos-p" + id);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", "5");
    p.put("retries", String.valueOf(Integer.MAX_VALUE));
    p.put("delivery.timeout.ms", "120000");
    p.put("request.timeout.ms", "10000");
    p.put("linger.ms", "5");
    p.put("retry.backoff.ms", "100");
    p.put("reconnect.backoff.ms", "100");
    p.put("reconnect.backoff.max.ms", "1000");
    p.put("metadata.max.age.ms", "5000");
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    return p;
  }

  static volatile boolean stopped = false;

  static void produce(String bootstrap, String topic, int producers, long durationMs, int rate) throws Exception {
    long end = durationMs < 0 ? Long.MAX_VALUE : System.currentTimeMillis() + durationMs;
    if (durationMs < 0) {
      Thread stdin = new Thread(() -> {
        try {
          while (System.in.read() >= 0) {}
        } catch (java.io.IOException e) {
          // closed
        }
        stopped = true;
      });
      stdin.setDaemon(true);
      stdin.start();
    }
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < producers; i++) {
      final int id = i;
      Thread t = new Thread(() -> runProducer(bootstrap, topic, id, end, rate));
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) t.join();
  }

  static void runProducer(String bootstrap, String topic, int id, long end, int rate) {
    Semaphore inFlight = new Semaphore(2000);
    KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(bootstrap, id));
    int partitions = -1;
    long seq = 0;
    long pauseNanos = 1_000_000_000L / Math.max(1, rate);
    long next = System.nanoTime();
    while (!stopped && System.currentTimeMillis() < end) {
      try {
        if (partitions < 0) partitions = producer.partitionsFor(topic).size();
        inFlight.acquire();
        final long s = seq;
        int partition = (int) (s % partitions);
        producer.send(new ProducerRecord<>(topic, partition, null, id + ":" + s), (md, err) -> {
          inFlight.release();
          if (err == null) emit("ack " + id + " " + s + " " + md.partition() + " " + md.offset());
          else emit("fail " + id + " " + s + " " + err.getClass().getSimpleName() + ": " + oneLine(err.getMessage()));
        });
        seq++;
      } catch (Exception e) {
        // A producer in a fatal state (or metadata unavailable): start a new one, with a new producer id.
        emit("fail " + id + " " + seq + " " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
        seq++;
        producer.close(Duration.ofSeconds(30));
        producer = new KafkaProducer<>(producerProps(bootstrap, id));
        inFlight.release();
      }
      next += pauseNanos;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
    producer.flush();
    producer.close(Duration.ofSeconds(150));
    emit("sent " + id + " " + seq);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ');
  }

  static void consume(String bootstrap, String topic, long timeoutMs) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("client.id", "chaos-checker");
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    long deadline = System.currentTimeMillis() + timeoutMs;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(60))) {
        tps.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(tps);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(60));
      for (TopicPartition tp : tps) emit("end " + tp.partition() + " " + ends.get(tp));
      consumer.seekToBeginning(tps);
      Set<TopicPartition> pending = new HashSet<>(tps);
      while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() < ends.get(new TopicPartition(topic, r.partition()))) {
            emit("rec " + r.partition() + " " + r.offset() + " " + r.value());
          }
        }
        pending.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
      }
      if (!pending.isEmpty()) emit("incomplete " + pending);
    }
  }
}
