'use client';

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBytes, formatClockUtc } from '../format/format';

/** Charts of the dashboard (recharts), all client-side; time axes in UTC like the rest of the UI. */
export interface Series<K extends string> {
  key: K;
  label: string;
  color: string;
}

type Row = { timeMs: number } & Record<string, number>;

export function TimeSeriesChart<K extends string>({
  rows,
  series,
  formatValue,
  stacked = false,
  testId,
}: {
  rows: Row[];
  series: Series<K>[];
  formatValue: (value: number) => string;
  stacked?: boolean;
  testId?: string;
}) {
  // Under ten minutes of history the minutes alone would repeat on every tick.
  const spanMs = rows.length > 1 ? rows[rows.length - 1]!.timeMs - rows[0]!.timeMs : 0;
  const withSeconds = spanMs < 10 * 60_000;
  const tickFormatter = (value: number) => formatClockUtc(value, withSeconds);
  const tooltip = (
    <Tooltip
      labelFormatter={(value) => `${formatClockUtc(Number(value), true)} UTC`}
      formatter={(value, name) => [formatValue(Number(value)), String(name)]}
      isAnimationActive={false}
    />
  );
  const xAxis = <XAxis dataKey="timeMs" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tickFormatter} minTickGap={40} fontSize={11} />;
  const yAxis = <YAxis tickFormatter={formatValue} width={72} fontSize={11} allowDecimals={false} />;
  return (
    <div className="chart" data-testid={testId} data-points={rows.length}>
      {rows.length < 2 ? (
        <div className="empty">Collecting history… (a point every few seconds)</div>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          {stacked ? (
            <AreaChart data={rows} margin={{ top: 6, right: 10, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#eef0f4" vertical={false} />
              {xAxis}
              {yAxis}
              {tooltip}
              <Legend iconSize={8} wrapperStyle={{ fontSize: 12 }} />
              {series.map((entry) => (
                <Area key={entry.key} type="monotone" dataKey={entry.key} name={entry.label} stackId="1" stroke={entry.color} fill={entry.color} fillOpacity={0.5} isAnimationActive={false} />
              ))}
            </AreaChart>
          ) : (
            <LineChart data={rows} margin={{ top: 6, right: 10, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#eef0f4" vertical={false} />
              {xAxis}
              {yAxis}
              {tooltip}
              <Legend iconSize={8} wrapperStyle={{ fontSize: 12 }} />
              {series.map((entry) => (
                <Line key={entry.key} type="monotone" dataKey={entry.key} name={entry.label} stroke={entry.color} dot={false} strokeWidth={2} isAnimationActive={false} />
              ))}
            </LineChart>
          )}
        </ResponsiveContainer>
      )}
    </div>
  );
}

/** Horizontal bars for "top N by relay bytes" (server components render it, so no function props). */
export function UsageBarChart({ rows, testId }: { rows: { key: string; relayBytes: number }[]; testId?: string }) {
  const formatValue = formatBytes;
  return (
    <div className="chart" style={{ height: Math.max(120, rows.length * 30 + 30) }} data-testid={testId}>
      {rows.length === 0 ? (
        <div className="empty">No relay traffic yet.</div>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
            <CartesianGrid stroke="#eef0f4" horizontal={false} />
            <XAxis type="number" tickFormatter={formatValue} fontSize={11} />
            <YAxis type="category" dataKey="key" width={140} fontSize={11} />
            <Tooltip formatter={(value) => formatValue(Number(value))} isAnimationActive={false} />
            <Bar dataKey="relayBytes" name="relay bytes" fill="#3651d4" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
