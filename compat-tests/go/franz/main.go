// franz-go (kgo + kadm) scenarios against a live broker: produce, consume, groups and admin. Prints
// "ok <step>" lines and exits 0, or prints the client's error and exits 1.
//
//	go run ./franz <produce|consume|group|admin> <bootstrap> <topic>
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
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

// create makes the topic and waits (bounded) until ListOffsets answers on every partition.
func create(ctx context.Context, adm *kadm.Client, topic string, configs map[string]*string) {
	r, err := adm.CreateTopic(ctx, partitions, 1, configs, topic)
	must(err, "create topic")
	must(r.Err, "create topic")
	deadline := time.Now().Add(30 * time.Second)
	for {
		ends, err := adm.ListEndOffsets(ctx, topic)
		if err == nil && ends.Error() == nil && len(ends[topic]) == partitions {
			return
		}
		if time.Now().After(deadline) {
			fail("topic %s not served: %v %v", topic, err, ends.Error())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// produce sends n records (idempotent, the default) to partition i%3 and checks the offsets.
func produce(ctx context.Context, bootstrap, topic string, n int) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	must(err, "client")
	defer cl.Close()
	var wg sync.WaitGroup
	var bad atomic.Value
	for i := 0; i < n; i++ {
		rec := &kgo.Record{
			Topic:     topic,
			Partition: int32(i % partitions),
			Key:       []byte("k" + strconv.Itoa(i)),
			Value:     []byte("v" + strconv.Itoa(i)),
			Headers:   []kgo.RecordHeader{{Key: "i", Value: []byte(strconv.Itoa(i))}},
		}
		want := int64(i / partitions)
		wg.Add(1)
		cl.Produce(ctx, rec, func(r *kgo.Record, err error) {
			defer wg.Done()
			if err != nil {
				bad.Store(err.Error())
			} else if r.Offset != want {
				bad.Store(fmt.Sprintf("record %s at offset %d, want %d", r.Key, r.Offset, want))
			}
		})
	}
	wg.Wait()
	if b := bad.Load(); b != nil {
		fail("produce: %v", b)
	}
}

// verify reads a partition-ordered topic back from the start without a group.
func verify(ctx context.Context, bootstrap, topic string, n int) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	must(err, "client")
	defer cl.Close()
	got := 0
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for got < n {
		fs := cl.PollFetches(cctx)
		if cctx.Err() != nil {
			fail("read back %d of %d", got, n)
		}
		fs.EachError(func(t string, p int32, err error) { fail("fetch %s-%d: %v", t, p, err) })
		fs.EachRecord(func(r *kgo.Record) {
			i, _ := strconv.Atoi(string(r.Key[1:]))
			if string(r.Value) != "v"+strconv.Itoa(i) || r.Partition != int32(i%partitions) ||
				r.Offset != int64(i/partitions) || len(r.Headers) != 1 || string(r.Headers[0].Value) != strconv.Itoa(i) {
				fail("record %d read back as %s-%d@%d %q", i, r.Topic, r.Partition, r.Offset, r.Value)
			}
			got++
		})
	}
}

func groupScenario(ctx context.Context, adm *kadm.Client, bootstrap, topic string) {
	n := 900
	group := topic + "-group"
	produce(ctx, bootstrap, topic, n)
	ok("produce " + strconv.Itoa(n))
	var seen sync.Map
	var count atomic.Int64
	var assigned [2]atomic.Int32
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for m := 0; m < 2; m++ {
		wg.Add(1)
		go func(me int) {
			defer wg.Done()
			cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.ConsumerGroup(group), kgo.ConsumeTopics(topic),
				kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit(),
				kgo.OnPartitionsAssigned(func(_ context.Context, _ *kgo.Client, a map[string][]int32) {
					assigned[me].Add(int32(len(a[topic])))
				}))
			must(err, "group client")
			defer cl.Close()
			for {
				select {
				case <-stop:
					must(cl.CommitUncommittedOffsets(ctx), "final commit")
					return
				default:
				}
				pctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
				fs := cl.PollRecords(pctx, 50)
				cancel()
				fs.EachRecord(func(r *kgo.Record) {
					if _, dup := seen.LoadOrStore(fmt.Sprintf("%d/%d", r.Partition, r.Offset), true); !dup {
						count.Add(1)
					}
				})
				if fs.NumRecords() > 0 {
					must(cl.CommitUncommittedOffsets(ctx), "commit")
				}
				if assigned[0].Load() == 0 || assigned[1].Load() == 0 {
					time.Sleep(50 * time.Millisecond)
				}
			}
		}(m)
	}
	deadline := time.Now().Add(90 * time.Second)
	for (count.Load() < int64(n) || assigned[0].Load() == 0 || assigned[1].Load() == 0) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if count.Load() != int64(n) || assigned[0].Load() == 0 || assigned[1].Load() == 0 {
		fail("consumed %d of %d; assignments %d, %d", count.Load(), n, assigned[0].Load(), assigned[1].Load())
	}
	ok("two members consumed " + strconv.Itoa(n))
	offs, err := adm.FetchOffsets(ctx, group)
	must(err, "fetch offsets")
	for p := int32(0); p < partitions; p++ {
		o, found := offs.Lookup(topic, p)
		if !found || o.At != int64(n/partitions) {
			fail("committed offset of partition %d: %+v", p, o)
		}
	}
	ok("committed offsets at the end")
	lags, err := adm.Lag(ctx, group)
	must(err, "lag")
	must(lags.Error(), "lag")
	if total := lags[group].Lag.Total(); total != 0 {
		fail("lag %d", total)
	}
	ok("lag 0")
	dg, err := adm.DescribeGroups(ctx, group)
	must(err, "describe groups")
	if g := dg[group]; g.State != "Empty" || len(g.Members) != 0 {
		fail("group after close: %s, %d members", g.State, len(g.Members))
	}
	ok("group empty after close")
}

func adminScenario(ctx context.Context, adm *kadm.Client, bootstrap, topic string) {
	md, err := adm.BrokerMetadata(ctx)
	must(err, "metadata")
	if len(md.Brokers) != 1 || md.Controller < 0 {
		fail("metadata brokers %v controller %d", md.Brokers, md.Controller)
	}
	ok("metadata, cluster " + md.Cluster)
	ret := "3600000"
	create(ctx, adm, topic, map[string]*string{"retention.ms": &ret})
	dup, _ := adm.CreateTopic(ctx, 1, 1, nil, topic)
	if dup.Err == nil {
		fail("duplicate create succeeded")
	}
	td, err := adm.ListTopics(ctx, topic)
	must(err, "list topics")
	if t := td[topic]; t.Err != nil || len(t.Partitions) != partitions || t.ID == [16]byte{} {
		fail("describe %s: %+v", topic, t)
	}
	ok("create, duplicate rejected (" + dup.Err.Error() + "), list")

	cfgs, err := adm.DescribeTopicConfigs(ctx, topic)
	must(err, "describe configs")
	rc, err := cfgs.On(topic, nil)
	must(err, "describe configs")
	found := false
	for _, c := range rc.Configs {
		if c.Key == "retention.ms" {
			found = c.MaybeValue() == ret
		}
	}
	if !found {
		fail("retention.ms not %s in %+v", ret, rc.Configs)
	}
	policy := "compact,delete"
	ar, err := adm.AlterTopicConfigs(ctx, []kadm.AlterConfig{
		{Op: kadm.SetConfig, Name: "cleanup.policy", Value: &policy},
		{Op: kadm.DeleteConfig, Name: "retention.ms"},
	}, topic)
	must(err, "alter configs")
	for _, r := range ar {
		must(r.Err, "alter configs "+r.Name)
	}
	cfgs, err = adm.DescribeTopicConfigs(ctx, topic)
	must(err, "describe configs")
	rc, _ = cfgs.On(topic, nil)
	for _, c := range rc.Configs {
		if (c.Key == "cleanup.policy" && c.MaybeValue() != policy) || (c.Key == "retention.ms" && c.MaybeValue() != "604800000") {
			fail("after alter: %s=%s", c.Key, c.MaybeValue())
		}
	}
	ok("describe and incrementally alter configs")

	cp, err := adm.UpdatePartitions(ctx, 4, topic)
	must(err, "create partitions")
	for _, r := range cp {
		must(r.Err, "create partitions")
	}
	ok("create partitions")

	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	must(err, "client")
	base := int64(1_700_000_000_000)
	for i := 0; i < 30; i++ {
		r := &kgo.Record{Topic: topic, Partition: 0, Key: []byte("k"), Value: []byte("x"), Timestamp: time.UnixMilli(base + int64(i))}
		must(cl.ProduceSync(ctx, r).FirstErr(), "produce")
	}
	cl.Close()
	ends, err := adm.ListEndOffsets(ctx, topic)
	must(err, "end offsets")
	after, err := adm.ListOffsetsAfterMilli(ctx, base+10, topic)
	must(err, "offsets after milli")
	e0, _ := ends.Lookup(topic, 0)
	a0, _ := after.Lookup(topic, 0)
	if e0.Offset != 30 || a0.Offset != 10 {
		fail("end %d, after milli %d", e0.Offset, a0.Offset)
	}
	ok("list offsets")
	var del kadm.Offsets
	del.AddOffset(topic, 0, 12, -1)
	dr, err := adm.DeleteRecords(ctx, del)
	must(err, "delete records")
	d0, _ := dr.Lookup(topic, 0)
	must(d0.Err, "delete records")
	starts, err := adm.ListStartOffsets(ctx, topic)
	must(err, "start offsets")
	s0, _ := starts.Lookup(topic, 0)
	if d0.LowWatermark != 12 || s0.Offset != 12 {
		fail("low watermark %d, start %d", d0.LowWatermark, s0.Offset)
	}
	ok("delete records")

	group := topic + "-offsets"
	var commit kadm.Offsets
	commit.AddOffset(topic, 0, 20, -1)
	cr, err := adm.CommitOffsets(ctx, group, commit)
	must(err, "commit offsets")
	must(cr.Error(), "commit offsets")
	fo, err := adm.FetchOffsets(ctx, group)
	must(err, "fetch offsets")
	if o, _ := fo.Lookup(topic, 0); o.At != 20 {
		fail("fetched offset %d", o.At)
	}
	lg, err := adm.ListGroups(ctx)
	must(err, "list groups")
	if _, listed := lg[group]; !listed {
		fail("group %s not listed in %v", group, lg.Groups())
	}
	dg, err := adm.DeleteGroups(ctx, group)
	must(err, "delete groups")
	must(dg[group].Err, "delete group")
	ok("commit, fetch, list and delete group offsets")

	dt, err := adm.DeleteTopics(ctx, topic)
	must(err, "delete topics")
	must(dt[topic].Err, "delete topic")
	ok("delete topics")
}

func main() {
	if len(os.Args) != 4 {
		fail("usage: franz <produce|consume|group|admin> <bootstrap> <topic>")
	}
	scenario, bootstrap, topic := os.Args[1], os.Args[2], os.Args[3]
	ctx := context.Background()
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap))
	must(err, "client")
	defer cl.Close()
	adm := kadm.NewClient(cl)
	switch scenario {
	case "produce", "consume":
		create(ctx, adm, topic, nil)
		produce(ctx, bootstrap, topic, 3000)
		ok("produce 3000")
		verify(ctx, bootstrap, topic, 3000)
		ok("consume 3000")
	case "group":
		create(ctx, adm, topic, nil)
		groupScenario(ctx, adm, bootstrap, topic)
	case "admin":
		adminScenario(ctx, adm, bootstrap, topic)
	default:
		fail("unknown scenario %s", scenario)
	}
}
