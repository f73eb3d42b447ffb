import type { SignalMetrics } from '../observability/index.js';
import { json } from './responses.js';
import type { Route } from './types.js';

export interface SystemState {
  nodeId: string;
  version: string;
  isReady(): boolean;
  isDraining(): boolean;
}

/** `/healthz` (the process serves), `/readyz` (send traffic here: false while draining), `/metrics`. */
export function systemRoutes(state: SystemState, metrics: SignalMetrics): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/healthz',
      group: 'health',
      handler: () => json(200, { status: 'ok', nodeId: state.nodeId, version: state.version }),
    },
    {
      method: 'GET',
      pattern: '/readyz',
      group: 'health',
      handler: () => {
        const ready = state.isReady();
        return json(ready ? 200 : 503, { ready, draining: state.isDraining() });
      },
    },
    {
      method: 'GET',
      pattern: '/metrics',
      group: 'metrics',
      handler: async () => {
        const { contentType, body } = await metrics.render();
        return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
      },
    },
  ];
}
