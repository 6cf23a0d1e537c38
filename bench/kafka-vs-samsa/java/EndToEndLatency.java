// End-to-end latency at a fixed produce rate: the time from KafkaProducer.send() to KafkaConsumer.poll()
// returning the record, both in this JVM so that one System.nanoTime() clock measures it.
//
//   EndToEndLatency <bootstrap> <topic> <recordsPerSec> <seconds> <warmupSeconds> <recordSizeBytes>
//
// The producer takes the settings of the bench's other produce workloads: acks=1, linger.ms=5,
// batch.size=65536 (no compression). It is paced by a loop that, on each wake-up, sends the records due
// by then (record i is due at start + i / recordsPerSec) and parks until the next one is due; after a
// stall (send() blocking on a full buffer.memory, a GC pause) it catches up at once, so the achieved rate
// falls short only when the client or the broker cannot keep up. A record value is recordSizeBytes long:
// bytes 0-7 are System.nanoTime() just before send(), big-endian; the rest are zeros.
//
// The consumer, in its own thread, assign()s every partition of the topic and seeks to their ends before
// the producer starts (fetch.min.bytes=1, fetch.max.wait.ms=500: the defaults). For each record it reads
// nanoTime() - embedded as that record's end-to-end latency. Records sent during the first
// warmupSeconds are consumed but not counted; counted are those whose embedded time is at or after the
// end of the warmup.
//
// Output, one line on stdout at the end (latencies in milliseconds, rate in records/s):
//   E2E sent=<counted sends> received=<counted receipts> errors=<failed sends> p50_ms=.. p99_ms=..
//       p999_ms=.. max_ms=.. achieved_rate=<counted sends / time from end of warmup to last send>
// Exit status 1 when a send failed or fewer counted records than were sent arrive within DRAIN_MS after
// the producer has closed.
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class EndToEndLatency {
  /** How long the consumer may take, after the producer has closed, to receive every counted record. */
  static final long DRAIN_MS = 30_000;

  public static void main(String[] a) throws Exception {
    if (a.length != 6) {
      System.err.println(
          "usage: EndToEndLatency <bootstrap> <topic> <recordsPerSec> <seconds> <warmupSeconds> <recordSizeBytes>");
      System.exit(2);
    }
    String bootstrap = a[0];
    String topic = a[1];
    double rate = Double.parseDouble(a[2]);
    double seconds = Double.parseDouble(a[3]);
    double warmupSeconds = Double.parseDouble(a[4]);
    int recordSize = Integer.parseInt(a[5]);
    if (recordSize < 8) throw new IllegalArgumentException("recordSizeBytes must be at least 8");

    Consumer consumer = new Consumer(bootstrap, topic);
    Thread consumerThread = new Thread(consumer, "e2e-consumer");
    consumerThread.start();
    consumer.ready.await();

    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.ACKS_CONFIG, "1");
    pp.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    pp.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    AtomicLong errors = new AtomicLong();
    long counted = 0;
    double achievedRate;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
      // Metadata first, so the first paced sends do not wait for it.
      producer.partitionsFor(topic);
      long start = System.nanoTime();
      long measureFrom = start + (long) (warmupSeconds * 1e9);
      long end = measureFrom + (long) (seconds * 1e9);
      consumer.measureFrom = measureFrom;
      double intervalNs = 1e9 / rate;
      long sent = 0;
      long lastSend = start;
      while (true) {
        long now = System.nanoTime();
        if (now >= end) break;
        long due = (long) ((now - start) / intervalNs) + 1;
        for (; sent < due; sent++) {
          byte[] value = new byte[recordSize];
          long t = System.nanoTime();
          ByteBuffer.wrap(value).putLong(0, t);
          producer.send(
              new ProducerRecord<>(topic, value),
              (md, e) -> {
                if (e != null && errors.getAndIncrement() == 0) e.printStackTrace();
              });
          if (t >= measureFrom) counted++;
          lastSend = t;
        }
        LockSupport.parkNanos(start + (long) (sent * intervalNs) - System.nanoTime());
      }
      producer.flush();
      achievedRate = counted / ((lastSend - measureFrom) / 1e9);
    }
    long deadline = System.currentTimeMillis() + DRAIN_MS;
    while (consumer.receivedCount() < counted && System.currentTimeMillis() < deadline) Thread.sleep(10);
    consumer.stop = true;
    consumerThread.join();

    long[] lat = consumer.latencies();
    Arrays.sort(lat);
    System.out.printf(
        Locale.ROOT,
        "E2E sent=%d received=%d errors=%d p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f achieved_rate=%.1f%n",
        counted,
        lat.length,
        errors.get(),
        percentileMs(lat, 0.50),
        percentileMs(lat, 0.99),
        percentileMs(lat, 0.999),
        lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6,
        achievedRate);
    System.exit(errors.get() > 0 || lat.length < counted ? 1 : 0);
  }

  /** Nearest rank: the smallest latency with at least p of them at or below it; NaN for none. */
  static double percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(rank, 1) - 1] / 1e6;
  }

  static final class Consumer implements Runnable {
    final CountDownLatch ready = new CountDownLatch(1);
    final KafkaConsumer<byte[], byte[]> consumer;
    final String topic;
    /** nanoTime() from which sends are counted; Long.MAX_VALUE until the producer starts. */
    volatile long measureFrom = Long.MAX_VALUE;
    volatile boolean stop;
    /** Counted latencies in nanoseconds, [0, count); written by the consumer thread only. */
    private long[] latencies = new long[1 << 16];
    private volatile int count;

    Consumer(String bootstrap, String topic) {
      Properties cp = new Properties();
      cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      cp.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
      cp.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
      cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      this.consumer = new KafkaConsumer<>(cp);
      this.topic = topic;
    }

    int receivedCount() {
      return count;
    }

    /** The counted latencies; call after the consumer thread has ended. */
    long[] latencies() {
      return Arrays.copyOf(latencies, count);
    }

    @Override
    public void run() {
      try (KafkaConsumer<byte[], byte[]> c = consumer) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo p : c.partitionsFor(topic)) parts.add(new TopicPartition(topic, p.partition()));
        c.assign(parts);
        c.seekToEnd(parts);
        // seekToEnd is lazy; position() resolves it (ListOffsets) before the producer may start.
        for (TopicPartition tp : parts) c.position(tp);
        ready.countDown();
        while (!stop) {
          ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(100));
          long now = System.nanoTime();
          for (ConsumerRecord<byte[], byte[]> r : records) {
            long sentAt = ByteBuffer.wrap(r.value()).getLong(0);
            if (sentAt < measureFrom) continue;
            if (count == latencies.length) latencies = Arrays.copyOf(latencies, latencies.length * 2);
            latencies[count] = now - sentAt;
            count = count + 1;
          }
        }
      } catch (RuntimeException e) {
        e.printStackTrace();
        ready.countDown();
      }
    }
  }
}
