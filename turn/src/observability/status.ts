import type { TurnAllocationStatus, TurnNodeStatus } from '@parley/protocol';
import type { Allocation } from '../allocation/allocation.js';
import type { AllocationTable } from '../allocation/allocation-table.js';
import type { RelayCounters } from '../relay/counters.js';

/** Builds `GET /v1/status` (protocol's TurnNodeStatus) from live state. */
export interface StatusSources {
  nodeId: string;
  version: string;
  startedAtMs: number;
  listeners: TurnNodeStatus['listeners'];
  allocations: AllocationTable;
  counters: RelayCounters;
  nowMs: () => number;
}

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function allocationStatus(allocation: Allocation, nowMs: number): TurnAllocationStatus {
  return {
    id: allocation.id,
    userId: allocation.userId,
    room: allocation.room,
    transport: allocation.client.transport,
    clientAddress: hostPort(allocation.client.address, allocation.client.port),
    relayedAddresses: allocation.relayedAddresses.map((relayed) => hostPort(relayed.address, relayed.port)),
    bytesToPeers: allocation.bytesToPeers,
    bytesFromPeers: allocation.bytesFromPeers,
    permissions: allocation.permissionCount(nowMs),
    channels: allocation.channelCount(nowMs),
    createdAtMs: allocation.createdAtMs,
    expiresAtMs: allocation.expiresAtMs,
  };
}

export function nodeStatus(sources: StatusSources): TurnNodeStatus {
  const nowMs = sources.nowMs();
  const allocations = [...sources.allocations.values()].map((allocation) => allocationStatus(allocation, nowMs));
  return {
    nodeId: sources.nodeId,
    version: sources.version,
    startedAtMs: sources.startedAtMs,
    listeners: sources.listeners,
    totals: {
      allocations: allocations.length,
      bytesToPeers: sources.counters.bytesToPeers,
      bytesFromPeers: sources.counters.bytesFromPeers,
      packetsDropped: sources.counters.totalDrops,
    },
    allocations,
  };
}
