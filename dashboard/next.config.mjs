// Next.js configuration of the admin dashboard. The app is served by src/process/start-dashboard.ts
// (a node:http server around Next), so nothing here is about ports or hosts.
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages (@parley/protocol) live above this folder.
  turbopack: { root: repositoryRoot },
  outputFileTracingRoot: repositoryRoot,
  images: { unoptimized: true },
  // pino stays a plain Node require on the server side.
  serverExternalPackages: ['pino'],
};

export default nextConfig;
