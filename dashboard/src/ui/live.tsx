'use client';

import { AdminEvent } from '@parley/protocol';
import { useRouter } from 'next/navigation';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

/**
 * Live updates for every admin page: one EventSource on /api/events (the dashboard's proxy of the
 * signal server's admin event stream). Events go to subscribers (the overview's cards and charts)
 * and trigger a server re-render of the current page at most once per `refreshIntervalMs`. While
 * the stream is down the page is re-rendered on that same pace, so it shows the failure banner
 * and recovers by itself.
 */
export type LiveState = 'connecting' | 'live' | 'down' | 'paused';

interface LiveContextValue {
  state: LiveState;
  subscribe(listener: (event: AdminEvent) => void): () => void;
  setPaused(paused: boolean): void;
}

const LiveContext = createContext<LiveContextValue | null>(null);

const MAX_RECONNECT_DELAY_MS = 15_000;

export function LiveProvider({ refreshIntervalMs, children }: { refreshIntervalMs: number; children: ReactNode }) {
  const router = useRouter();
  const [state, setState] = useState<LiveState>('connecting');
  const [paused, setPaused] = useState(false);
  const listeners = useRef(new Set<(event: AdminEvent) => void>());
  const lastRefreshMs = useRef(0);
  const pendingRefresh = useRef<ReturnType<typeof setTimeout> | null>(null);

  const scheduleRefresh = useCallback(() => {
    if (pendingRefresh.current !== null) return;
    const waitMs = Math.max(0, lastRefreshMs.current + refreshIntervalMs - Date.now());
    pendingRefresh.current = setTimeout(() => {
      pendingRefresh.current = null;
      lastRefreshMs.current = Date.now();
      router.refresh();
    }, waitMs);
  }, [refreshIntervalMs, router]);

  useEffect(() => {
    if (paused) {
      setState('paused');
      return;
    }
    let source: EventSource | null = null;
    let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
    let pollTimer: ReturnType<typeof setInterval> | null = null;
    let attempts = 0;
    let stopped = false;

    const stopPolling = () => {
      if (pollTimer !== null) clearInterval(pollTimer);
      pollTimer = null;
    };
    const connect = () => {
      setState((current) => (current === 'down' ? 'down' : 'connecting'));
      source = new EventSource('/api/events');
      source.onopen = () => {
        attempts = 0;
        stopPolling();
        setState('live');
      };
      source.onmessage = (message: MessageEvent<string>) => {
        let parsed;
        try {
          parsed = AdminEvent.safeParse(JSON.parse(message.data));
        } catch {
          return;
        }
        if (!parsed.success) return;
        for (const listener of listeners.current) listener(parsed.data);
        scheduleRefresh();
      };
      source.onerror = () => {
        // EventSource retries network errors itself but gives up on an HTTP error answer; either
        // way take over with our own backoff so the state shown is honest.
        source?.close();
        source = null;
        if (stopped) return;
        setState('down');
        if (pollTimer === null) pollTimer = setInterval(scheduleRefresh, refreshIntervalMs);
        attempts++;
        const delayMs = Math.min(MAX_RECONNECT_DELAY_MS, 500 * 2 ** Math.min(attempts, 5));
        reconnectTimer = setTimeout(connect, delayMs);
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      stopPolling();
    };
  }, [paused, refreshIntervalMs, scheduleRefresh]);

  useEffect(
    () => () => {
      if (pendingRefresh.current !== null) clearTimeout(pendingRefresh.current);
    },
    [],
  );

  const value = useMemo<LiveContextValue>(
    () => ({
      state,
      subscribe(listener) {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
      setPaused,
    }),
    [state],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  const value = useContext(LiveContext);
  if (!value) throw new Error('useLive outside LiveProvider');
  return value;
}

/** Subscribes `listener` to live admin events for the component's lifetime. */
export function useLiveEvents(listener: (event: AdminEvent) => void): void {
  const { subscribe } = useLive();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe((event) => latest.current(event)), [subscribe]);
}

const LABELS: Record<LiveState, string> = { connecting: 'connecting…', live: 'live', down: 'reconnecting…', paused: 'paused' };

export function LiveIndicator() {
  const { state, setPaused } = useLive();
  return (
    <div className="live" data-state={state} data-testid="live-state">
      <span className="dot" aria-hidden="true" />
      <span>{LABELS[state]}</span>
      <button type="button" className="btn small" onClick={() => setPaused(state !== 'paused')} data-testid="live-toggle">
        {state === 'paused' ? 'resume' : 'pause'}
      </button>
    </div>
  );
}
