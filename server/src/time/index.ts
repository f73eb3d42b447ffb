/**
 * time/ — the Clock port and its two implementations. Rule: nothing else in server/ calls
 * Date.now(), setTimeout or setInterval for domain time; it takes a Clock.
 */
export * from './clock.js';
export * from './fake-clock.js';
export * from './deadline-queue.js';
