// Scenarios for Kafka's Java clients (3.9 and 4.1) against a live broker, compiled at test time against
// the jars of the version under test (compat-tests/kafka-tools/tools.ts). Each scenario prints "ok <step>"
// lines and exits 0, or prints the client's exception and exits 1.
//
//   java -cp .cache/kafka-java/<v>:<libs>/* ClientsCheck <producer|group|admin> <bootstrap> <topic>
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.*;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.*;

public final class ClientsCheck {
  static void check(boolean cond, String what) {
    if (!cond) throw new AssertionError(what);
  }

  static void ok(String step) {
    System.out.println("ok " + step);
  }

  static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
  }

  static Map<TopicPartition, Long> ends(Admin admin, String topic, int partitions, OffsetSpec spec) throws Exception {
    Map<TopicPartition, OffsetSpec> req = new HashMap<>();
    for (int p = 0; p < partitions; p++) req.put(new TopicPartition(topic, p), spec);
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(req).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  /** Creates the topic and waits (bounded) until ListOffsets answers on every partition. */
  static void create(Admin admin, String topic, int partitions, Map<String, String> configs) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all().get();
    long deadline = System.currentTimeMillis() + 30_000;
    for (;;) {
      try {
        ends(admin, topic, partitions, OffsetSpec.latest());
        return;
      } catch (ExecutionException e) {
        if (System.currentTimeMillis() > deadline) throw e;
        Thread.sleep(100);
      }
    }
  }

  static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> extra) {
    Map<String, Object> p = new HashMap<>(extra);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  static KafkaConsumer<String, String> consumer(String bootstrap, Map<String, Object> extra) {
    Map<String, Object> p = new HashMap<>(extra);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  /** Producer with the default settings (idempotent since 3.0: acks=all, InitProducerId, sequences). */
  static void producerScenario(String bootstrap, String topic) throws Exception {
    int n = 3000;
    try (Admin admin = admin(bootstrap)) {
      create(admin, topic, 3, Map.of());
      ok("create");
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      try (KafkaProducer<String, String> producer = producer(bootstrap, Map.of())) {
        for (int i = 0; i < n; i++) {
          org.apache.kafka.common.header.Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
          headers.add("i", Integer.toString(i).getBytes());
          sent.add(producer.send(new ProducerRecord<>(topic, i % 3, "k" + i, "v" + i, headers)));
        }
        producer.flush();
        long[] next = new long[3];
        for (int i = 0; i < n; i++) {
          RecordMetadata md = sent.get(i).get();
          check(md.partition() == i % 3, "partition of record " + i);
          check(md.offset() == next[md.partition()]++, "offset of record " + i + ": " + md.offset());
        }
        ok("send " + n);
      }
      // The broker knows the producer: DescribeProducers lists its id with the last sequence.
      DescribeProducersResult dp = admin.describeProducers(List.of(new TopicPartition(topic, 0)));
      DescribeProducersResult.PartitionProducerState state = dp.partitionResult(new TopicPartition(topic, 0)).get();
      check(state.activeProducers().size() == 1, "one active producer: " + state.activeProducers());
      ProducerState ps = state.activeProducers().get(0);
      check(ps.producerId() >= 0 && ps.lastSequence() == n / 3 - 1, "producer state " + ps);
      ok("idempotent producer id " + ps.producerId());
      try (KafkaConsumer<String, String> c = consumer(bootstrap, Map.of())) {
        List<TopicPartition> tps = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
        c.assign(tps);
        c.seekToBeginning(tps);
        int got = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        while (got < n && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
            int i = Integer.parseInt(r.key().substring(1));
            check(r.value().equals("v" + i), "value of " + i);
            check(r.partition() == i % 3 && r.offset() == i / 3, "position of " + i);
            check(new String(r.headers().lastHeader("i").value()).equals(Integer.toString(i)), "header of " + i);
            got++;
          }
        }
        check(got == n, "read back " + got + " of " + n);
        ok("read back " + n);
      }
    }
  }

  /** Two consumers in one classic group share three partitions, commit, and the group's offsets reach the end. */
  static void groupScenario(String bootstrap, String topic, String protocol) throws Exception {
    int n = 900;
    String group = topic + "-group";
    try (Admin admin = admin(bootstrap)) {
      create(admin, topic, 3, Map.of());
      try (KafkaProducer<String, String> producer = producer(bootstrap, Map.of())) {
        for (int i = 0; i < n; i++) producer.send(new ProducerRecord<>(topic, i % 3, "k" + i, "v" + i));
        producer.flush();
      }
      ok("produce " + n);
      Set<String> seen = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicIntegerArray assigned = new AtomicIntegerArray(2);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<?>> members = new ArrayList<>();
      for (int m = 0; m < 2; m++) {
        final int me = m;
        members.add(pool.submit(() -> {
          Map<String, Object> cfg = new HashMap<>();
          cfg.put(ConsumerConfig.GROUP_ID_CONFIG, group);
          cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
          cfg.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
          cfg.put("group.protocol", protocol);
          try (KafkaConsumer<String, String> c = consumer(bootstrap, cfg)) {
            c.subscribe(List.of(topic));
            while (!stop.get()) {
              ConsumerRecords<String, String> rs = c.poll(Duration.ofMillis(200));
              if (!c.assignment().isEmpty()) assigned.set(me, Math.max(assigned.get(me), c.assignment().size()));
              for (ConsumerRecord<String, String> r : rs) seen.add(r.partition() + "/" + r.offset());
              if (!rs.isEmpty()) c.commitSync();
              // Hold back until both members have had partitions, so the work is shared.
              if (assigned.get(0) == 0 || assigned.get(1) == 0) Thread.sleep(50);
            }
            c.commitSync();
          }
          return null;
        }));
      }
      long deadline = System.currentTimeMillis() + 90_000;
      while ((seen.size() < n || assigned.get(0) == 0 || assigned.get(1) == 0) && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      stop.set(true);
      for (Future<?> f : members) f.get(60, TimeUnit.SECONDS);
      pool.shutdown();
      check(seen.size() == n, "consumed " + seen.size() + " of " + n);
      check(assigned.get(0) > 0 && assigned.get(1) > 0, "both members had partitions: " + assigned);
      ok("two members consumed " + n);
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      for (int p = 0; p < 3; p++) {
        OffsetAndMetadata o = committed.get(new TopicPartition(topic, p));
        check(o != null && o.offset() == n / 3, "committed offset of partition " + p + ": " + o);
      }
      ok("committed offsets at the end");
      ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      check(d.members().isEmpty(), "members after close: " + d.members());
      ok("group empty after close");
    }
  }

  static void adminScenario(String bootstrap, String topic) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      Collection<Node> nodes = admin.describeCluster().nodes().get();
      check(nodes.size() == 1, "one node: " + nodes);
      Node controller = admin.describeCluster().controller().get();
      check(controller != null, "a controller");
      ok("describeCluster " + admin.describeCluster().clusterId().get());

      create(admin, topic, 2, Map.of("retention.ms", "3600000"));
      try {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        check(false, "duplicate createTopics succeeded");
      } catch (ExecutionException e) {
        check(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException, "duplicate: " + e.getCause());
      }
      check(admin.listTopics().names().get().contains(topic), "listTopics");
      TopicDescription td = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      check(td.partitions().size() == 2 && td.topicId() != null && !td.topicId().equals(Uuid.ZERO_UUID), "describeTopics " + td);
      ok("createTopics, listTopics, describeTopics");

      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
      check("3600000".equals(cfg.get("retention.ms").value()), "retention.ms " + cfg.get("retention.ms"));
      check(cfg.get("retention.ms").source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, "source");
      admin.incrementalAlterConfigs(Map.of(res, List.of(
          new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact,delete"), AlterConfigOp.OpType.SET),
          new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE)))).all().get();
      cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
      check("compact,delete".equals(cfg.get("cleanup.policy").value()), "cleanup.policy " + cfg.get("cleanup.policy"));
      check("604800000".equals(cfg.get("retention.ms").value()), "retention.ms back to default " + cfg.get("retention.ms"));
      ConfigResource brokerRes = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(nodes.iterator().next().id()));
      Config bcfg = admin.describeConfigs(List.of(brokerRes)).all().get().get(brokerRes);
      check(bcfg.get("num.partitions") != null, "broker config num.partitions");
      ok("describeConfigs, incrementalAlterConfigs");

      admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get();
      td = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      check(td.partitions().size() == 3, "createPartitions");
      ok("createPartitions");

      try (KafkaProducer<String, String> producer = producer(bootstrap, Map.of())) {
        long ts = 1_700_000_000_000L;
        for (int i = 0; i < 30; i++) producer.send(new ProducerRecord<>(topic, 0, ts + i, "k" + i, "v" + i));
        producer.flush();
      }
      TopicPartition tp0 = new TopicPartition(topic, 0);
      check(ends(admin, topic, 3, OffsetSpec.latest()).get(tp0) == 30, "latest");
      check(ends(admin, topic, 3, OffsetSpec.earliest()).get(tp0) == 0, "earliest");
      check(ends(admin, topic, 1, OffsetSpec.forTimestamp(1_700_000_000_010L)).get(tp0) == 10, "forTimestamp");
      check(ends(admin, topic, 1, OffsetSpec.maxTimestamp()).get(tp0) == 29, "maxTimestamp");
      ok("listOffsets");
      DeletedRecords dr = admin.deleteRecords(Map.of(tp0, RecordsToDelete.beforeOffset(12))).lowWatermarks().get(tp0).get();
      check(dr.lowWatermark() == 12, "deleteRecords low watermark " + dr.lowWatermark());
      check(ends(admin, topic, 1, OffsetSpec.earliest()).get(tp0) == 12, "earliest after deleteRecords");
      ok("deleteRecords");

      String group = topic + "-offsets";
      // Two partitions: once a group's last offset is deleted, Kafka drops the group (DeleteGroups then
      // answers GROUP_ID_NOT_FOUND).
      TopicPartition tp1 = new TopicPartition(topic, 1);
      admin.alterConsumerGroupOffsets(group, Map.of(tp0, new OffsetAndMetadata(20, "meta"), tp1, new OffsetAndMetadata(0))).all().get();
      OffsetAndMetadata om = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp0);
      check(om.offset() == 20 && "meta".equals(om.metadata()), "listConsumerGroupOffsets " + om);
      boolean listed = admin.listConsumerGroups().all().get().stream().anyMatch(g -> g.groupId().equals(group));
      check(listed, "listConsumerGroups");
      ConsumerGroupDescription gd = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      check(gd.members().isEmpty(), "describeConsumerGroups");
      admin.deleteConsumerGroupOffsets(group, Set.of(tp0)).all().get();
      check(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp0) == null, "offset deleted");
      admin.deleteConsumerGroups(List.of(group)).all().get();
      ok("consumer group offsets and groups");

      Map<Integer, Map<String, org.apache.kafka.clients.admin.LogDirDescription>> dirs =
          admin.describeLogDirs(List.of(nodes.iterator().next().id())).allDescriptions().get();
      check(dirs.values().stream().flatMap(m -> m.values().stream()).anyMatch(d -> d.replicaInfos().containsKey(tp0)), "describeLogDirs");
      ok("describeLogDirs");

      admin.deleteTopics(List.of(topic)).all().get();
      long deadline = System.currentTimeMillis() + 30_000;
      while (admin.listTopics().names().get().contains(topic)) {
        check(System.currentTimeMillis() < deadline, "topic gone after deleteTopics");
        Thread.sleep(100);
      }
      ok("deleteTopics");
    }
  }

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    String bootstrap = args[1];
    String topic = args[2];
    try {
      switch (scenario) {
        case "producer": producerScenario(bootstrap, topic); break;
        case "group": groupScenario(bootstrap, topic, "classic"); break;
        case "group-consumer-protocol": groupScenario(bootstrap, topic, "consumer"); break;
        case "admin": adminScenario(bootstrap, topic); break;
        default: throw new IllegalArgumentException("unknown scenario " + scenario);
      }
    } catch (Throwable t) {
      t.printStackTrace(System.out);
      System.exit(1);
    }
    System.exit(0);
  }
}
