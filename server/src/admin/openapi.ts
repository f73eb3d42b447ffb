import {
  CreateRoomRequest,
  ERROR_CODES,
  HistoryResponse,
  HttpError,
  ListRoomsQuery,
  ListRoomsResponse,
  NodesResponse,
  Overview,
  AdminEvent,
  RoomDetail,
  TurnCredentialsRequest,
  TurnCredentialsResponse,
  TurnResponse,
  WhoAmI,
} from '@parley/protocol';
import { z } from 'zod';
import { DevTokenRequest, DevTokenResponse } from '../http/dev-token-route.js';

/**
 * The OpenAPI 3.1 document of the REST API, generated from the same zod schemas the server
 * validates with (docs/openapi.json is this, committed; a test keeps it current).
 */
const SCHEMAS = {
  HttpError,
  WhoAmI,
  Overview,
  HistoryResponse,
  NodesResponse,
  TurnResponse,
  ListRoomsResponse,
  CreateRoomRequest,
  RoomDetail,
  AdminEvent,
  TurnCredentialsRequest,
  TurnCredentialsResponse,
  DevTokenRequest,
  DevTokenResponse,
} satisfies Record<string, z.ZodType>;

type SchemaName = keyof typeof SCHEMAS;

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: SchemaName) => ({ 'application/json': { schema: ref(name) } });
const ok = (name: SchemaName, description: string) => ({ description, content: jsonContent(name) });
const failure = (description: string) => ({ description, content: jsonContent('HttpError') });

const adminErrors = {
  '401': failure('No valid token (TOKEN_* codes).'),
  '403': failure('The token has no admin grant (FORBIDDEN).'),
};

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function queryParameters(): unknown[] {
  const schema = jsonSchemaOf(ListRoomsQuery, 'input') as { properties: Record<string, unknown> };
  const descriptions: Record<string, string> = {
    q: 'Case-insensitive substring of the room name.',
    sort: 'Sort key.',
    order: 'Sort order.',
    offset: 'Rooms to skip.',
    limit: 'Rooms to return.',
  };
  return Object.entries(schema.properties).map(([name, property]) => ({ name, in: 'query', required: false, description: descriptions[name], schema: property }));
}

const roomParameter = { name: 'room', in: 'path', required: true, schema: { type: 'string' }, description: 'Room name.' };
const peerParameter = { name: 'peerId', in: 'path', required: true, schema: { type: 'string' }, description: 'Peer id.' };

export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const schemas = Object.fromEntries(
    Object.entries(SCHEMAS).map(([name, schema]) => [name, jsonSchemaOf(schema, name.endsWith('Request') ? 'input' : 'output')]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley signal server REST API',
      version,
      description:
        'REST endpoints of the Parley signaling broker. The WebSocket protocol (GET /v1/ws) is described in docs/protocol.md. ' +
        `Errors carry a stable code: ${ERROR_CODES.join(', ')}.`,
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
    paths: {
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'The process serves requests.' } } } },
      '/readyz': {
        get: { summary: 'Readiness (false while draining)', responses: { '200': { description: 'Ready.' }, '503': { description: 'Draining or not ready.' } } },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Text exposition format.' } } } },
      '/v1/turn/credentials': {
        post: {
          summary: 'Mint TURN REST credentials',
          security: [{ bearer: [] }],
          requestBody: { required: false, content: jsonContent('TurnCredentialsRequest') },
          responses: {
            '200': ok('TurnCredentialsResponse', 'coturn-compatible credentials and the iceServers to use them with.'),
            '400': failure('Invalid body (INVALID_REQUEST).'),
            '401': failure('No valid token.'),
            '403': failure('The token may not join the room (FORBIDDEN).'),
            '404': failure('No TURN secret configured (NOT_FOUND).'),
          },
        },
      },
      '/v1/dev/token': {
        post: {
          summary: 'Mint a development token (only when dev.tokenEndpoint is enabled)',
          requestBody: { required: true, content: jsonContent('DevTokenRequest') },
          responses: { '200': ok('DevTokenResponse', 'A token that may join and create the room.'), '400': failure('Invalid body.'), '404': failure('Disabled.') },
        },
      },
      '/v1/admin/whoami': { get: { summary: 'The admin token in use', security: [{ bearer: [] }], responses: { '200': ok('WhoAmI', 'Identity.'), ...adminErrors } } },
      '/v1/admin/overview': { get: { summary: 'Node overview', security: [{ bearer: [] }], responses: { '200': ok('Overview', 'Live totals.'), ...adminErrors } } },
      '/v1/admin/history': {
        get: { summary: 'In-memory history for charts', security: [{ bearer: [] }], responses: { '200': ok('HistoryResponse', 'Samples, oldest first.'), ...adminErrors } },
      },
      '/v1/admin/nodes': { get: { summary: 'Signal nodes', security: [{ bearer: [] }], responses: { '200': ok('NodesResponse', 'Nodes.'), ...adminErrors } } },
      '/v1/admin/turn': {
        get: { summary: 'TURN nodes, allocations and usage', security: [{ bearer: [] }], responses: { '200': ok('TurnResponse', 'TURN view.'), ...adminErrors } },
      },
      '/v1/admin/rooms': {
        get: {
          summary: 'List rooms',
          security: [{ bearer: [] }],
          parameters: queryParameters(),
          responses: { '200': ok('ListRoomsResponse', 'A page of rooms.'), '400': failure('Invalid query.'), ...adminErrors },
        },
        post: {
          summary: 'Create a room',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: jsonContent('CreateRoomRequest') },
          responses: { '201': ok('RoomDetail', 'Created.'), '400': failure('Invalid body.'), '409': failure('ROOM_EXISTS.'), ...adminErrors },
        },
      },
      '/v1/admin/rooms/{room}': {
        get: {
          summary: 'Room detail with peers and quality',
          security: [{ bearer: [] }],
          parameters: [roomParameter],
          responses: { '200': ok('RoomDetail', 'The room.'), '404': failure('ROOM_NOT_FOUND.'), ...adminErrors },
        },
        delete: {
          summary: 'Close a room (every peer gets room.closed {reason: "admin"})',
          security: [{ bearer: [] }],
          parameters: [roomParameter],
          responses: { '204': { description: 'Closed.' }, '404': failure('ROOM_NOT_FOUND.'), ...adminErrors },
        },
      },
      '/v1/admin/rooms/{room}/peers/{peerId}': {
        delete: {
          summary: 'Kick a peer (its connection closes with 4440 KICKED; its TURN credentials are revoked)',
          security: [{ bearer: [] }],
          parameters: [roomParameter, peerParameter],
          responses: { '204': { description: 'Kicked.' }, '404': failure('ROOM_NOT_FOUND or PEER_NOT_FOUND.'), ...adminErrors },
        },
      },
      '/v1/admin/events': {
        get: {
          summary: 'Live event stream (server-sent events; one AdminEvent JSON per data line)',
          security: [{ bearer: [] }],
          responses: { '200': { description: 'text/event-stream of AdminEvent.', content: { 'text/event-stream': { schema: ref('AdminEvent') } } }, ...adminErrors },
        },
      },
    },
  };
}
