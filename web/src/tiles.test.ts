import { describe, expect, it } from 'vitest';
import { initials } from './tiles.js';

describe('initials', () => {
  it('takes the first letters of the first and last word, or the first two of a single word', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('Grace Brewster Hopper')).toBe('GH');
    expect(initials('bob')).toBe('BO');
    expect(initials('  ')).toBe('?');
    expect(initials('Émile Zola')).toBe('ÉZ');
  });
});
