/**
 * transport/ — the only importer of uWebSockets.js: the listener, the HTTP adapter (routes from
 * http/ and admin/), and the WebSocket endpoint that hands copied frames to session/. Rule: no
 * domain logic here; uWS's rules (copy before await, onAborted, cork) stay inside this folder.
 */
export * from './listener.js';
export { UWS_NATIVE, UwsNotNativeError, assertNativeUws } from './uws.js';
export { WS_SUBPROTOCOL, upgradeToken } from './ws-endpoint.js';
