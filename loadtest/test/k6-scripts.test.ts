import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * k6 itself cannot run here, so its scripts are checked as far as possible without it: they
 * type-check against @types/k6, they import only what k6 can load (k6/* modules and relative
 * .ts files, no npm packages), and each one is a complete k6 test (options + default function).
 */
const k6Dir = fileURLToPath(new URL('../k6/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const scripts = readdirSync(k6Dir).filter((name) => name.endsWith('.ts'));

/** Every file a script reaches through relative imports, itself included. */
function moduleGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const specifier of importsOf(entry)) {
    if (specifier.startsWith('.')) moduleGraph(resolve(dirname(entry), specifier), seen);
  }
  return seen;
}

/** Import specifiers that survive compilation (`import type` is erased by k6's TypeScript loader). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^']+)';/gm)].map((match) => match[1]!);
}

describe('k6 scripts', () => {
  it('cover the four scenarios of DESIGN §6', () => {
    expect(scripts.sort()).toEqual(['join-storm.ts', 'reconnect-storm.ts', 'steady-rooms.ts', 'turn-credentials.ts']);
  });

  it('type-check against @types/k6', () => {
    const result = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(k6Dir, 'tsconfig.json')], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(scripts)('%s imports only k6 modules and existing relative files', (script) => {
    for (const file of moduleGraph(join(k6Dir, script))) {
      expect(existsSync(file), `${file} exists`).toBe(true);
      for (const specifier of importsOf(file)) {
        const loadable = specifier.startsWith('k6') || (specifier.startsWith('.') && specifier.endsWith('.ts'));
        expect(loadable, `${file} imports ${specifier}, which k6 cannot load`).toBe(true);
      }
    }
  });

  it.each(scripts)('%s exports k6 options and a default function', (script) => {
    const source = readFileSync(join(k6Dir, script), 'utf8');
    expect(source).toMatch(/^export const options: Options = \{/m);
    expect(source).toMatch(/^export default function \w+\(\): void \{/m);
    expect(source).toMatch(/thresholds: \{/);
  });
});
