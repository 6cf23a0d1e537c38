import { DeleteGroups } from '../protocol/messages/42-delete-groups.js';
import { DescribeGroups } from '../protocol/messages/15-describe-groups.js';
import { ListGroups } from '../protocol/messages/16-list-groups.js';
import type { Cluster } from './cluster.js';
import { decodeAssignment, type Assignment } from './consumer-protocol.js';
import { check } from './errors.js';

export interface GroupListing {
  readonly groupId: string;
  readonly protocolType: string;
  /** Empty when the broker does not report states (ListGroups before v4). */
  readonly state: string;
}

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly host: string;
  /** Decoded with the consumer protocol; empty for other protocol types. */
  readonly assignment: Assignment[];
}

export interface GroupDescription {
  readonly groupId: string;
  /** Kafka's state names: Empty, Stable, PreparingRebalance, CompletingRebalance, Dead. */
  readonly state: string;
  readonly protocolType: string;
  /** The assignor in use ("range"), or empty. */
  readonly protocol: string;
  readonly members: GroupMemberDescription[];
  readonly coordinator: { nodeId: number; address: string };
}

/** Every group on every broker of the cluster (ListGroups is answered per coordinator). */
export async function listGroups(cluster: Cluster): Promise<GroupListing[]> {
  await cluster.metadata([]);
  const out = new Map<string, GroupListing>();
  for (const broker of cluster.brokers) {
    const conn = await cluster.connectionTo(broker.nodeId);
    const res = await conn.send(ListGroups, { statesFilter: [], typesFilter: [] });
    check(res.errorCode, `listing groups on ${conn.address}`);
    for (const g of res.groups)
      out.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType, state: g.groupState });
  }
  return [...out.values()];
}

/** A group's state and members, from its coordinator; an unknown group comes back as state "Dead". */
export async function describeGroup(cluster: Cluster, groupId: string): Promise<GroupDescription> {
  const conn = await cluster.coordinator(groupId);
  const res = await conn.send(DescribeGroups, { groups: [groupId], includeAuthorizedOperations: false });
  const g = res.groups[0];
  if (g === undefined) throw new Error(`no description of group ${groupId}`);
  // GROUP_ID_NOT_FOUND (69) from newer brokers means what "Dead" means from older ones.
  if (g.errorCode === 69) return dead(groupId, conn.address, cluster.coordinatorIds.get(groupId) ?? -1);
  check(g.errorCode, `describing group ${groupId}`, g.errorMessage);
  const consumer = g.protocolType === 'consumer' || g.protocolType === '';
  return {
    groupId,
    state: g.groupState,
    protocolType: g.protocolType,
    protocol: g.protocolData,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      host: m.clientHost,
      assignment: consumer ? safeDecode(m.memberAssignment) : [],
    })),
    coordinator: { nodeId: cluster.coordinatorIds.get(groupId) ?? -1, address: conn.address },
  };
}

function dead(groupId: string, address: string, nodeId: number): GroupDescription {
  return { groupId, state: 'Dead', protocolType: '', protocol: '', members: [], coordinator: { nodeId, address } };
}

function safeDecode(bytes: Buffer): Assignment[] {
  try {
    return decodeAssignment(bytes);
  } catch {
    return [];
  }
}

/** Deletes groups; per group null on success or the error code. */
export async function deleteGroups(cluster: Cluster, groupIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const groupId of groupIds) {
    const conn = await cluster.coordinator(groupId);
    const res = await conn.send(DeleteGroups, { groupsNames: [groupId] });
    for (const r of res.results) out.set(r.groupId, r.errorCode);
  }
  return out;
}
