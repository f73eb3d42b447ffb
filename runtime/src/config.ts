import { z } from 'zod';
import { parse as parseYaml } from 'yaml';

/**
 * Config loading shared by every Parley process. A process describes its config as one strict zod
 * schema (every leaf with a default and a description); this module merges
 * defaults < config file < environment, validates once, freezes the result and can print it with
 * secrets redacted or render it as documentation.
 *
 * Leaves carry metadata through zod's `.meta()`: `description`, `unit`, and `secret: true` for
 * values that must never be logged.
 */

export interface ConfigFieldMeta {
  description?: string;
  unit?: string;
  secret?: boolean;
}

/** A nested config section whose own defaults apply when the section is absent. */
export function section<T extends z.ZodRawShape>(shape: T) {
  // `.prefault` (not `.default`) so an absent section is parsed and gets its fields' defaults.
  return z.strictObject(shape).prefault({} as never);
}

export interface ConfigLeaf {
  path: string[];
  envName: string;
  schema: z.ZodType;
  kind: LeafKind;
  meta: ConfigFieldMeta;
  defaultValue: unknown;
}

type LeafKind = 'string' | 'number' | 'boolean' | 'string-list' | 'json';

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: readonly { path: string; envName: string; message: string }[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function toScreamingSnake(segment: string): string {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** `PREFIX` + path segments in SCREAMING_SNAKE joined by `__`: `http.maxBodyBytes` → `PARLEY_SIGNAL_HTTP__MAX_BODY_BYTES`. */
export function envNameFor(prefix: string, path: readonly string[]): string {
  return prefix + path.map(toScreamingSnake).join('__');
}

interface Unwrapped {
  inner: z.ZodType;
  meta: ConfigFieldMeta;
  defaultValue: unknown;
}

function unwrap(schema: z.ZodType): Unwrapped {
  let current: z.ZodType = schema;
  let meta: ConfigFieldMeta = {};
  let defaultValue: unknown;
  for (;;) {
    meta = { ...((current.meta() as ConfigFieldMeta | undefined) ?? {}), ...meta };
    const def = current.def as { type: string; innerType?: z.ZodType; defaultValue?: unknown };
    if (def.type === 'default' || def.type === 'prefault') {
      if (defaultValue === undefined) defaultValue = def.defaultValue;
      current = def.innerType!;
    } else if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') {
      current = def.innerType!;
    } else {
      return { inner: current, meta, defaultValue };
    }
  }
}

function leafKind(inner: z.ZodType): LeafKind {
  const type = inner.def.type;
  if (type === 'string' || type === 'enum' || type === 'literal') return 'string';
  if (type === 'number' || type === 'int' || type === 'bigint') return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'array') {
    const element = unwrap((inner.def as unknown as { element: z.ZodType }).element).inner.def.type;
    if (element === 'string' || element === 'enum') return 'string-list';
  }
  return 'json';
}

/** Every leaf of a config schema, in declaration order. */
export function configLeaves(schema: z.ZodType, envPrefix: string, path: string[] = []): ConfigLeaf[] {
  const { inner, meta, defaultValue } = unwrap(schema);
  if (inner.def.type === 'object') {
    const shape = (inner as z.ZodObject).shape as Record<string, z.ZodType>;
    // Records and free-form objects are leaves (JSON in env); objects with a shape are sections.
    if (Object.keys(shape).length > 0) {
      return Object.entries(shape).flatMap(([key, child]) => configLeaves(child, envPrefix, [...path, key]));
    }
  }
  return [{ path, envName: envNameFor(envPrefix, path), schema, kind: leafKind(inner), meta, defaultValue }];
}

function parseEnvValue(leaf: ConfigLeaf, raw: string): unknown {
  switch (leaf.kind) {
    case 'string':
      return raw;
    case 'number':
      return raw.trim() === '' ? Number.NaN : Number(raw);
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return raw;
    case 'string-list':
      if (raw.trim().startsWith('[')) return JSON.parse(raw);
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
    case 'json':
      return JSON.parse(raw);
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function getPath(source: unknown, path: readonly string[]): unknown {
  let node = source;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return override;
  if (typeof override !== 'object' || override === null || Array.isArray(override)) return override;
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(merged[key], value);
  return merged;
}

export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Parses the text of a config file by its extension (.json, .yaml, .yml). */
export function parseConfigFile(fileName: string, text: string): unknown {
  if (/\.ya?ml$/i.test(fileName)) return parseYaml(text) ?? {};
  if (/\.json$/i.test(fileName)) return JSON.parse(text);
  throw new ConfigError(`config file ${fileName}: unsupported extension (use .json, .yaml or .yml)`, []);
}

export interface LoadConfigInput {
  /** Environment variables (the caller passes `process.env`; nothing here reads it). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Already-parsed config file contents. */
  file?: unknown;
  /** Values set programmatically (tests, `parley up`); they win over the file, lose to env. */
  overrides?: unknown;
}

/**
 * Validates defaults < file < overrides < env against `schema` and returns a deep-frozen config.
 * Throws a ConfigError naming every bad path and its environment variable.
 */
export function loadConfig<S extends z.ZodType>(schema: S, envPrefix: string, input: LoadConfigInput = {}): Readonly<z.infer<S>> {
  const leaves = configLeaves(schema, envPrefix);
  const fromEnv: Record<string, unknown> = {};
  const issues: { path: string; envName: string; message: string }[] = [];
  for (const leaf of leaves) {
    const raw = input.env?.[leaf.envName];
    if (raw === undefined) continue;
    try {
      setPath(fromEnv, leaf.path, parseEnvValue(leaf, raw));
    } catch (error) {
      issues.push({ path: leaf.path.join('.'), envName: leaf.envName, message: `not valid JSON (${(error as Error).message})` });
    }
  }
  const known = new Set(leaves.map((leaf) => leaf.envName));
  for (const name of Object.keys(input.env ?? {})) {
    if (name.startsWith(envPrefix) && !known.has(name)) {
      issues.push({ path: '(env)', envName: name, message: 'unknown setting' });
    }
  }
  const merged = deepMerge(deepMerge(input.file ?? {}, input.overrides ?? {}), fromEnv);
  const result = schema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String);
      const leaf = leaves.find((candidate) => path.join('.').startsWith(candidate.path.join('.')) && candidate.path.length > 0);
      issues.push({ path: path.join('.') || '(root)', envName: leaf?.envName ?? envNameFor(envPrefix, path), message: issue.message });
    }
  }
  if (issues.length > 0) {
    const lines = issues.map((issue) => `  ${issue.path} (${issue.envName}): ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`, issues);
  }
  return deepFreeze(result.data as z.infer<S>);
}

export const REDACTED = '[redacted]';

/** A copy of `config` with every `secret` leaf replaced, safe to log. */
export function redactConfig<S extends z.ZodType>(schema: S, config: z.infer<S>): unknown {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const leaf of configLeaves(schema, '')) {
    if (!leaf.meta.secret) continue;
    const value = getPath(copy, leaf.path);
    if (value === undefined || value === null) continue;
    const redacted = Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
    setPath(copy, leaf.path, redacted);
  }
  return copy;
}

function formatDefault(value: unknown): string {
  if (value === undefined) return '—';
  return '`' + JSON.stringify(value) + '`';
}

/** A Markdown reference of every setting: path, environment variable, type, default, description. */
export function renderConfigMarkdown(title: string, schema: z.ZodType, envPrefix: string): string {
  const rows = configLeaves(schema, envPrefix).map((leaf) => {
    const description = [leaf.meta.description ?? '', leaf.meta.unit ? `(${leaf.meta.unit})` : '', leaf.meta.secret ? '**secret**' : '']
      .filter(Boolean)
      .join(' ');
    return `| \`${leaf.path.join('.')}\` | \`${leaf.envName}\` | ${leaf.kind} | ${leaf.meta.secret ? '—' : formatDefault(leaf.defaultValue)} | ${description.replace(/\|/g, '\\|')} |`;
  });
  return [`## ${title}`, '', '| setting | environment | type | default | description |', '|---|---|---|---|---|', ...rows, ''].join('\n');
}
