// IBM/sarama scenarios against a live broker: produce (idempotent), consume, groups and admin. Prints
// "ok <step>" lines and exits 0, or prints the client's error and exits 1.
//
//	go run ./sarama <produce|consume|group|admin> <bootstrap> <topic>
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"
)

func fail(format string, args ...any) {
	fmt.Printf("FAIL "+format+"\n", args...)
	os.Exit(1)
}

func must(err error, what string) {
	if err != nil {
		fail("%s: %v", what, err)
	}
}

func ok(step string) { fmt.Println("ok " + step) }

const partitions = 3

func config() *sarama.Config {
	c := sarama.NewConfig()
	c.Version = sarama.V3_9_0_0
	c.ClientID = "samsa-compat-sarama"
	c.Producer.Return.Successes = true
	c.Producer.RequiredAcks = sarama.WaitForAll
	c.Producer.Idempotent = true
	c.Producer.Retry.Max = 5
	c.Net.MaxOpenRequests = 1
	c.Producer.Partitioner = sarama.NewManualPartitioner
	c.Consumer.Offsets.Initial = sarama.OffsetOldest
	return c
}

// create makes the topic and waits (bounded) until ListOffsets answers on every partition.
func create(adm sarama.ClusterAdmin, client sarama.Client, topic string, configs map[string]*string) {
	must(adm.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: partitions, ReplicationFactor: 1, ConfigEntries: configs}, false), "create topic")
	deadline := time.Now().Add(30 * time.Second)
	for p := int32(0); p < partitions; p++ {
		for {
			must(client.RefreshMetadata(topic), "refresh metadata")
			if _, err := client.GetOffset(topic, p, sarama.OffsetNewest); err == nil {
				break
			} else if time.Now().After(deadline) {
				fail("partition %d not served: %v", p, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

func produce(bootstrap, topic string, n int) {
	prod, err := sarama.NewSyncProducer([]string{bootstrap}, config())
	must(err, "producer")
	defer prod.Close()
	msgs := make([]*sarama.ProducerMessage, n)
	for i := range msgs {
		msgs[i] = &sarama.ProducerMessage{
			Topic:     topic,
			Partition: int32(i % partitions),
			Key:       sarama.StringEncoder("k" + strconv.Itoa(i)),
			Value:     sarama.StringEncoder("v" + strconv.Itoa(i)),
			Headers:   []sarama.RecordHeader{{Key: []byte("i"), Value: []byte(strconv.Itoa(i))}},
		}
	}
	must(prod.SendMessages(msgs), "send messages")
	for i, m := range msgs {
		if m.Offset != int64(i/partitions) {
			fail("record %d at offset %d", i, m.Offset)
		}
	}
}

func verify(bootstrap, topic string, n int) {
	cons, err := sarama.NewConsumer([]string{bootstrap}, config())
	must(err, "consumer")
	defer cons.Close()
	for p := int32(0); p < partitions; p++ {
		pc, err := cons.ConsumePartition(topic, p, sarama.OffsetOldest)
		must(err, "consume partition")
		want := n / partitions
		for j := 0; j < want; j++ {
			select {
			case m := <-pc.Messages():
				i, _ := strconv.Atoi(string(m.Key[1:]))
				if string(m.Value) != "v"+strconv.Itoa(i) || i%partitions != int(p) || m.Offset != int64(i/partitions) ||
					len(m.Headers) != 1 || string(m.Headers[0].Value) != strconv.Itoa(i) {
					fail("record %d read back as %d@%d %q", i, m.Partition, m.Offset, m.Value)
				}
			case e := <-pc.Errors():
				fail("consume %d: %v", p, e)
			case <-time.After(30 * time.Second):
				fail("partition %d: %d of %d records", p, j, want)
			}
		}
		must(pc.Close(), "close partition consumer")
	}
}

type handler struct {
	me       int
	seen     *sync.Map
	count    *atomic.Int64
	assigned *[2]atomic.Int32
}

func (h handler) Setup(s sarama.ConsumerGroupSession) error {
	h.assigned[h.me].Add(int32(len(s.Claims()[topicName])))
	if os.Getenv("SARAMA_DEBUG") != "" {
		fmt.Printf("member %d generation %d claims %v\n", h.me, s.GenerationID(), s.Claims())
	}
	return nil
}

// Cleanup commits what the session marked (auto-commit is off; a commit per message is needlessly slow).
func (h handler) Cleanup(s sarama.ConsumerGroupSession) error {
	s.Commit()
	return nil
}
func (h handler) ConsumeClaim(s sarama.ConsumerGroupSession, c sarama.ConsumerGroupClaim) error {
	// Returns as soon as the session ends (a rebalance), as sarama requires, not only when Messages closes.
	for {
		select {
		case m, open := <-c.Messages():
			if !open {
				return nil
			}
			if _, dup := h.seen.LoadOrStore(fmt.Sprintf("%d/%d", m.Partition, m.Offset), true); !dup {
				h.count.Add(1)
			}
			s.MarkMessage(m, "")
		case <-s.Context().Done():
			return nil
		}
	}
}

var topicName string

func groupScenario(adm sarama.ClusterAdmin, bootstrap, topic string) {
	n := 900
	group := topic + "-group"
	produce(bootstrap, topic, n)
	ok("produce " + strconv.Itoa(n))
	var seen sync.Map
	var count atomic.Int64
	var assigned [2]atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for m := 0; m < 2; m++ {
		cfg := config()
		cfg.Consumer.Offsets.AutoCommit.Enable = false
		cg, err := sarama.NewConsumerGroup([]string{bootstrap}, group, cfg)
		must(err, "consumer group")
		wg.Add(1)
		go func(me int) {
			defer wg.Done()
			defer cg.Close()
			for ctx.Err() == nil {
				if err := cg.Consume(ctx, []string{topic}, handler{me, &seen, &count, &assigned}); err != nil && ctx.Err() == nil {
					fail("consume: %v", err)
				}
			}
		}(m)
	}
	deadline := time.Now().Add(90 * time.Second)
	for (count.Load() < int64(n) || assigned[0].Load() == 0 || assigned[1].Load() == 0) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if count.Load() != int64(n) || assigned[0].Load() == 0 || assigned[1].Load() == 0 {
		fail("consumed %d of %d; assignments %d, %d", count.Load(), n, assigned[0].Load(), assigned[1].Load())
	}
	ok("two members consumed " + strconv.Itoa(n))
	offs, err := adm.ListConsumerGroupOffsets(group, map[string][]int32{topic: {0, 1, 2}})
	must(err, "list group offsets")
	for p := int32(0); p < partitions; p++ {
		b := offs.GetBlock(topic, p)
		if b == nil || b.Offset != int64(n/partitions) {
			fail("committed offset of partition %d: %+v", p, b)
		}
	}
	ok("committed offsets at the end")
	gd, err := adm.DescribeConsumerGroups([]string{group})
	must(err, "describe groups")
	if len(gd) != 1 || gd[0].State != "Empty" || len(gd[0].Members) != 0 {
		fail("group after close: %+v", gd)
	}
	ok("group empty after close")
}

func adminScenario(adm sarama.ClusterAdmin, client sarama.Client, bootstrap, topic string) {
	brokers, controller, err := adm.DescribeCluster()
	must(err, "describe cluster")
	if len(brokers) != 1 || controller < 0 {
		fail("brokers %d controller %d", len(brokers), controller)
	}
	ok("describe cluster")
	ret := "3600000"
	create(adm, client, topic, map[string]*string{"retention.ms": &ret})
	if err := adm.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: 1}, false); err == nil {
		fail("duplicate create succeeded")
	}
	topics, err := adm.ListTopics()
	must(err, "list topics")
	if d, found := topics[topic]; !found || d.NumPartitions != partitions {
		fail("list topics: %+v", d)
	}
	md, err := adm.DescribeTopics([]string{topic})
	must(err, "describe topics")
	if len(md) != 1 || md[0].Err != sarama.ErrNoError || len(md[0].Partitions) != partitions {
		fail("describe topics: %+v", md)
	}
	ok("create, duplicate rejected, list, describe")

	res := sarama.ConfigResource{Type: sarama.TopicResource, Name: topic}
	entries, err := adm.DescribeConfig(res)
	must(err, "describe config")
	value := func(es []sarama.ConfigEntry, k string) string {
		for _, e := range es {
			if e.Name == k {
				return e.Value
			}
		}
		return "<missing>"
	}
	if v := value(entries, "retention.ms"); v != ret {
		fail("retention.ms %s", v)
	}
	policy := "compact,delete"
	must(adm.IncrementalAlterConfig(sarama.TopicResource, topic, map[string]sarama.IncrementalAlterConfigsEntry{
		"cleanup.policy": {Operation: sarama.IncrementalAlterConfigsOperationSet, Value: &policy},
		"retention.ms":   {Operation: sarama.IncrementalAlterConfigsOperationDelete},
	}, false), "incremental alter config")
	entries, err = adm.DescribeConfig(res)
	must(err, "describe config")
	if value(entries, "cleanup.policy") != policy || value(entries, "retention.ms") != "604800000" {
		fail("after alter: cleanup.policy=%s retention.ms=%s", value(entries, "cleanup.policy"), value(entries, "retention.ms"))
	}
	ok("describe and incrementally alter configs")

	must(adm.CreatePartitions(topic, 4, nil, false), "create partitions")
	ok("create partitions")

	prod, err := sarama.NewSyncProducer([]string{bootstrap}, config())
	must(err, "producer")
	base := time.UnixMilli(1_700_000_000_000)
	for i := 0; i < 30; i++ {
		_, _, err := prod.SendMessage(&sarama.ProducerMessage{Topic: topic, Partition: 0, Key: sarama.StringEncoder("k"),
			Value: sarama.StringEncoder("x"), Timestamp: base.Add(time.Duration(i) * time.Millisecond)})
		must(err, "send")
	}
	prod.Close()
	must(client.RefreshMetadata(topic), "refresh metadata")
	end, err := client.GetOffset(topic, 0, sarama.OffsetNewest)
	must(err, "newest offset")
	at, err := client.GetOffset(topic, 0, base.UnixMilli()+10)
	must(err, "offset for time")
	if end != 30 || at != 10 {
		fail("end %d, offset for time %d", end, at)
	}
	ok("list offsets")
	must(adm.DeleteRecords(topic, map[int32]int64{0: 12}), "delete records")
	start, err := client.GetOffset(topic, 0, sarama.OffsetOldest)
	must(err, "oldest offset")
	if start != 12 {
		fail("start after delete records %d", start)
	}
	ok("delete records")

	group := topic + "-offsets"
	om, err := sarama.NewOffsetManagerFromClient(group, client)
	must(err, "offset manager")
	pom, err := om.ManagePartition(topic, 0)
	must(err, "manage partition")
	pom.MarkOffset(20, "meta")
	// Two partitions: once a group's last offset is deleted, Kafka drops the group (DeleteGroups then
	// answers GROUP_ID_NOT_FOUND).
	pom1, err := om.ManagePartition(topic, 1)
	must(err, "manage partition")
	pom1.MarkOffset(0, "")
	om.Commit()
	must(pom.Close(), "close partition offset manager")
	must(pom1.Close(), "close partition offset manager")
	must(om.Close(), "close offset manager")
	offs, err := adm.ListConsumerGroupOffsets(group, map[string][]int32{topic: {0}})
	must(err, "list group offsets")
	if b := offs.GetBlock(topic, 0); b == nil || b.Offset != 20 || b.Metadata != "meta" {
		fail("committed %+v", b)
	}
	groups, err := adm.ListConsumerGroups()
	must(err, "list groups")
	if _, found := groups[group]; !found {
		fail("group %s not listed in %v", group, groups)
	}
	must(adm.DeleteConsumerGroupOffset(group, topic, 0), "delete group offset")
	must(adm.DeleteConsumerGroup(group), "delete group")
	ok("commit, list, delete group offsets and group")

	must(adm.DeleteTopic(topic), "delete topic")
	ok("delete topic")
}

func main() {
	if len(os.Args) != 4 {
		fail("usage: sarama <produce|consume|group|admin> <bootstrap> <topic>")
	}
	scenario, bootstrap, topic := os.Args[1], os.Args[2], os.Args[3]
	topicName = topic
	client, err := sarama.NewClient([]string{bootstrap}, config())
	must(err, "client")
	defer client.Close()
	adm, err := sarama.NewClusterAdminFromClient(client)
	must(err, "admin")
	switch scenario {
	case "produce", "consume":
		create(adm, client, topic, nil)
		produce(bootstrap, topic, 3000)
		ok("produce 3000 (idempotent)")
		verify(bootstrap, topic, 3000)
		ok("consume 3000")
	case "group":
		create(adm, client, topic, nil)
		groupScenario(adm, bootstrap, topic)
	case "admin":
		adminScenario(adm, client, bootstrap, topic)
	default:
		fail("unknown scenario %s", scenario)
	}
}
