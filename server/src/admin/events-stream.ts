import type { AdminEvent } from '@parley/protocol';
import type { Cluster, ClusterEvent } from '../cluster/index.js';
import type { HttpResponse, StreamSink } from '../http/index.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import type { AdminService } from './admin-service.js';

const KEEPALIVE_MS = 15_000;

function toAdminEvent(event: ClusterEvent): AdminEvent {
  return event as AdminEvent;
}

/**
 * `GET /v1/admin/events`: server-sent events, one JSON AdminEvent per `data:` line: lifecycle
 * events as they happen, an `overview` right away and then every `overviewIntervalSeconds`,
 * and a comment line as keep-alive. A client that cannot keep up is disconnected (EventSource
 * reconnects by itself).
 */
export function eventsStream(cluster: Cluster, admin: AdminService, clock: Clock, overviewIntervalSeconds: number): HttpResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
    stream: (sink: StreamSink) => {
      const send = (event: AdminEvent) => {
        if (!sink.write(`data: ${JSON.stringify(event)}\n\n`)) sink.end();
      };
      const unsubscribe = cluster.subscribe((event) => send(toAdminEvent(event)));
      let overviewTimer: TimerHandle | undefined;
      const overview = () => {
        send({ type: 'overview', timeMs: clock.now(), overview: admin.overview() });
        overviewTimer = clock.setTimer(overviewIntervalSeconds * 1000, overview);
      };
      let keepaliveTimer: TimerHandle | undefined;
      const keepalive = () => {
        if (!sink.write(':\n\n')) sink.end();
        keepaliveTimer = clock.setTimer(KEEPALIVE_MS, keepalive);
      };
      overview();
      keepaliveTimer = clock.setTimer(KEEPALIVE_MS, keepalive);
      return () => {
        unsubscribe();
        overviewTimer?.cancel();
        keepaliveTimer?.cancel();
      };
    },
  };
}
