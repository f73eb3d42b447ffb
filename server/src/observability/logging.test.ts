import { describe, expect, it } from 'vitest';
import { loggableUrl } from './logging.js';

describe('loggableUrl', () => {
  it('keeps scheme, host and path, and drops credentials in the query or user info', () => {
    expect(loggableUrl('https://user:pass@hooks.example:8443/parley?key=s3cret#x')).toBe('https://hooks.example:8443/parley');
    expect(loggableUrl('not a url')).toBe('(invalid url)');
  });
});
