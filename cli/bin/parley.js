#!/usr/bin/env node
// The `parley` command. The compiled entry lives in dist/ (npm run build).
import('../dist/parley.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('parley: not built yet; run `npm run build` in the repository root first');
    process.exit(1);
  }
  throw error;
});
