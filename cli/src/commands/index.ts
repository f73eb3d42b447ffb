/**
 * commands/ — one file per `parley` subcommand, loaded only when run (cli/src/parley.ts holds the
 * table). Rule: argument parsing and wiring; the work is done by the packages they call.
 */
export {};
