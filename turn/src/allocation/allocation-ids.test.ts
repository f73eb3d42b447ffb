import { describe, expect, it } from 'vitest';
import { allocationIdSource } from './allocation-ids.js';

describe('allocation ids', () => {
  it('are 12 base64url characters and do not repeat across pool refills', () => {
    const next = allocationIdSource();
    const ids = Array.from({ length: 5000 }, () => next());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('differ between sources (each draws its own random bytes)', () => {
    expect(allocationIdSource()()).not.toBe(allocationIdSource()());
  });
});
