import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLIENT_MESSAGE_TYPES, ClientMessage, ERROR_CODES, ERRORS, ServerMessage } from '@parley/protocol';
import { describe, expect, it } from 'vitest';

const text = readFileSync(fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)), 'utf8');

/** `### \`type\`` sections of one part of the document, each with its JSON examples. */
function sections(part: string): Map<string, unknown[]> {
  const start = text.indexOf(`## ${part}`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  const result = new Map<string, unknown[]>();
  for (const chunk of body.split('\n### `').slice(1)) {
    const type = chunk.slice(0, chunk.indexOf('`'));
    const examples = [...chunk.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]!) as unknown);
    result.set(type, examples);
  }
  return result;
}

describe('docs/protocol.md', () => {
  it('has a valid example of every client message', () => {
    const client = sections('Client → server');
    expect([...client.keys()].sort()).toEqual([...CLIENT_MESSAGE_TYPES].sort());
    for (const [type, examples] of client) {
      expect(examples.length, type).toBeGreaterThan(0);
      for (const example of examples) expect(ClientMessage.safeParse(example).success, `${type}: ${JSON.stringify(example)}`).toBe(true);
    }
  });

  it('has a valid example of every server message', () => {
    const server = sections('Server → client');
    const types = ServerMessage.options.map((option) => option.shape.type.value);
    expect([...server.keys()].sort()).toEqual([...types].sort());
    for (const [type, examples] of server) {
      expect(examples.length, type).toBeGreaterThan(0);
      for (const example of examples) expect(ServerMessage.safeParse(example).success, `${type}: ${JSON.stringify(example)}`).toBe(true);
    }
  });

  it('lists every error code with its HTTP status and close code from the table in protocol/src/errors.ts', () => {
    for (const code of ERROR_CODES) {
      const spec = ERRORS[code];
      const row = text.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, code).toBeDefined();
      const cells = row!.split('|').map((cell) => cell.trim());
      expect(cells[2], code).toBe(String(spec.httpStatus));
      expect(cells[3], code).toBe(spec.wsCloseCode === null ? '—' : String(spec.wsCloseCode));
      expect(cells[4], code).toBe(spec.retryable ? 'yes' : 'no');
    }
  });
});
