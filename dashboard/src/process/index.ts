/**
 * The dashboard process (plain Node, compiled by tsc to dist/process/): configuration, and the
 * node:http server that runs the built Next.js app. Everything under src/app is Next's.
 */
export { DashboardConfigSchema, DASHBOARD_ENV_PREFIX, type DashboardConfig } from './config.js';
export { startDashboard, type RunningDashboard, type StartDashboardOptions } from './start-dashboard.js';
