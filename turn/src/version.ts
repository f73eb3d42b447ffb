/** Reported on /v1/status and in SOFTWARE-independent logs; kept in step with package.json. */
export const TURN_VERSION = '0.1.0';
