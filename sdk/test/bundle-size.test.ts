import { describe, expect, it } from 'vitest';
// @ts-expect-error build.mjs is plain JavaScript without type declarations
import { BUDGET, bundleSdk } from '../build.mjs';

describe('SDK bundle', () => {
  it('stays within its minified + gzipped size budget (sdk/bundle-budget.json)', async () => {
    const { rawBytes, gzipBytes } = await bundleSdk({ write: false });
    console.log(`[sdk] bundle ${rawBytes} B minified, ${gzipBytes} B gzipped, budget ${BUDGET.maxGzipBytes} B`);
    expect(gzipBytes).toBeLessThanOrEqual(BUDGET.maxGzipBytes);
  });

  it('ships no zod and no Node built-ins (protocol is used for types, codes and pure helpers only)', async () => {
    const { inputs } = await bundleSdk({ write: false });
    expect(inputs.filter((input: string) => input.includes('node_modules/zod'))).toEqual([]);
    expect(inputs.filter((input: string) => input.startsWith('node:'))).toEqual([]);
  });
});
