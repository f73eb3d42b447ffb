/**
 * auth/ — who is calling and what they may do: JWT verification (HS256 secrets, PEM public keys,
 * JWKS, several kids), token minting, and TURN REST credentials. Rule: the only importer of jose;
 * no sockets; every failure is a TokenError with a stable code.
 */
export * from './token-verifier.js';
export * from './token-minter.js';
export * from './turn-issuer.js';
