import type { Cluster } from '../client/cluster.js';
import { fetchCommittedOffsets } from '../client/group-offsets.js';
import type { GroupDescription } from '../client/groups.js';
import { LATEST, listOffsets, tpKey, type TopicPartition } from '../client/offsets.js';

/**
 * The tables of `consumer-groups --describe`, in Kafka 3.9's layout (Java's `%-Ns`: left-aligned,
 * padded to N, never cut). Each table opens with a blank line, as Kafka's does; unlike Kafka's, the
 * last row ends with a newline.
 *
 *   offsets: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
 *            widths: group, topic, consumer id and host at least 15 (wider to fit), then 10, 15, 15, 15
 *   members: GROUP CONSUMER-ID [GROUP-INSTANCE-ID] HOST CLIENT-ID #PARTITIONS [ASSIGNMENT]
 *   state:   GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS
 *
 * Rows: members with partitions (most partitions first), each member's partitions in topic and
 * partition order (Kafka's order there is a hash set's), then partitions with committed offsets but no
 * member; a missing value is "-".
 */
const MISSING = '-';

const pad = (s: string, width: number) => s.padEnd(width);

export async function describeOffsets(cluster: Cluster, group: GroupDescription): Promise<string> {
  const coordinator = await cluster.coordinator(group.groupId);
  const committed = await fetchCommittedOffsets(coordinator, group.groupId, null);
  interface Row {
    tp: TopicPartition;
    consumerId: string;
    host: string;
    clientId: string;
  }
  const rows: Row[] = [];
  const assigned = new Set<string>();
  const members = group.members
    .map((m) => ({
      m,
      tps: m.assignment.flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition }))),
    }))
    .filter((x) => x.tps.length > 0)
    .sort((a, b) => b.tps.length - a.tps.length);
  const byTopicPartition = (a: TopicPartition, b: TopicPartition) =>
    a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
  for (const { m, tps } of members) {
    for (const tp of tps.sort(byTopicPartition)) {
      assigned.add(tpKey(tp.topic, tp.partition));
      rows.push({ tp, consumerId: m.memberId, host: m.host, clientId: m.clientId });
    }
  }
  const unassigned = [...committed.values()]
    .filter((c) => !assigned.has(tpKey(c.topic, c.partition)))
    .map(({ topic, partition }) => ({ topic, partition }))
    .sort(byTopicPartition);
  for (const tp of unassigned) rows.push({ tp, consumerId: MISSING, host: MISSING, clientId: MISSING });
  if (rows.length === 0) return '';

  const ends = await listOffsets(
    cluster,
    rows.map((r) => r.tp),
    LATEST,
  ).catch(() => new Map<string, { offset: number }>());
  const cells = rows.map((r) => {
    const key = tpKey(r.tp.topic, r.tp.partition);
    const c = committed.get(key)?.offset;
    const offset = c === undefined || c < 0 ? undefined : c;
    const end = ends.get(key)?.offset;
    return [
      group.groupId,
      r.tp.topic,
      String(r.tp.partition),
      offset === undefined ? MISSING : String(offset),
      end === undefined ? MISSING : String(end),
      offset === undefined || end === undefined ? MISSING : String(end - offset),
      r.consumerId,
      r.host,
      r.clientId,
    ];
  });
  const width = (i: number) => Math.max(15, ...cells.map((c) => c[i]!.length));
  const widths = [width(0), width(1), 10, 15, 15, 15, width(6), width(7)];
  const line = (c: readonly string[]) => c.map((v, i) => (i < widths.length ? pad(v, widths[i]!) : v)).join(' ');
  const header = [
    'GROUP',
    'TOPIC',
    'PARTITION',
    'CURRENT-OFFSET',
    'LOG-END-OFFSET',
    'LAG',
    'CONSUMER-ID',
    'HOST',
    'CLIENT-ID',
  ];
  // Kafka's format starts every line with its newline, so the table ends without one.
  return `\n${[header, ...cells].map((c) => line(c)).join('\n')}`;
}

export function describeMembers(group: GroupDescription, verbose: boolean): string {
  const rows = group.members.map((m) => ({
    consumerId: m.memberId,
    instanceId: m.groupInstanceId ?? '',
    host: m.host,
    clientId: m.clientId,
    partitions: m.assignment.reduce((n, a) => n + a.partitions.length, 0),
    // Kafka 3.9's tool prints each topic's partitions as "(p,p)" without the topic name (its Java
    // port dropped it), partition numbers and groups sorted as strings; scripts see exactly that.
    assignment:
      m.assignment.length === 0
        ? MISSING
        : m.assignment
            .map((a) => `(${a.partitions.map(String).sort().join(',')})`)
            .sort()
            .join(','),
  }));
  const w = (min: number, values: string[]) => Math.max(min, ...values.map((v) => v.length));
  const groupW = w(15, group.members.length > 0 ? [group.groupId] : []);
  const idW = w(
    15,
    rows.map((r) => r.consumerId),
  );
  const instW = w(
    17,
    rows.map((r) => r.instanceId),
  );
  const hostW = w(
    15,
    rows.map((r) => r.host),
  );
  const clientW = w(
    15,
    rows.map((r) => r.clientId),
  );
  const withInstance = rows.some((r) => r.instanceId !== '');
  const line = (g: string, id: string, inst: string, host: string, client: string, n: string) =>
    `${pad(g, groupW)} ${pad(id, idW)} ${withInstance ? `${pad(inst, instW)} ` : ''}${pad(host, hostW)} ${pad(client, clientW)} ${pad(n, 15)} `;
  let out = `\n${line('GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS')}${verbose ? 'ASSIGNMENT' : ''}\n`;
  for (const r of rows) {
    out += `${line(group.groupId, r.consumerId, r.instanceId, r.host, r.clientId, String(r.partitions))}${verbose ? r.assignment : ''}\n`;
  }
  return out;
}

export function describeState(group: GroupDescription): string {
  const coordinator = `${group.coordinator.address}  (${group.coordinator.nodeId})`;
  const colW = Math.max(25, coordinator.length);
  const line = (a: string, b: string, c: string, d: string, e: string) =>
    `${pad(a, colW)} ${pad(b, 25)} ${pad(c, 20)} ${pad(d, 15)} ${e}`;
  return (
    `\n${line('GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS')}` +
    `\n${line(group.groupId, coordinator, group.protocol, group.state, String(group.members.length))}\n`
  );
}
