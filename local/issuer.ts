/**
 * A local OIDC-style token issuer: one ES256 key kept under `<data>/issuer/`, the JWKS at
 * `/.well-known/jwks.json`, discovery at `/.well-known/openid-configuration`, and `POST /token
 * {persona}` minting an access token for a demo persona, shaped as Cognito's are deployed (`sub`,
 * `cognito:groups`, `scope` with `crs/staff` or `crs/ingest`, `client_id`, `token_use: access`). The gateway verifies tokens against this JWKS
 * over HTTP, as API Gateway's JWT authorizer does against the council's issuer.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { STAFF_SCOPE } from '../declarations/scopes.js';
import { AUDIENCE } from './config.js';
import { readJsonState, writeJsonAtomicSync } from './files.js';
import { listen, readBody, sendJson } from './http.js';
import { oidcDiscovery, oidcHandler } from './oidc.js';
import { isPersonaId, PERSONA_IDS, PERSONAS, type PersonaId } from './personas.js';

const ALG = 'ES256';
const DEFAULT_TTL_SECONDS = 3600;

interface KeyFile {
  kid: string;
  privateJwk: JWK;
}
const isKeyFile = (v: unknown): v is KeyFile =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as KeyFile).kid === 'string' &&
  typeof (v as KeyFile).privateJwk === 'object';

export interface MintOptions {
  /** Lifetime in seconds; negative mints an already expired token (for tests). */
  readonly expiresInSeconds?: number;
}

export interface IssuerHandle {
  readonly url: string;
  readonly jwksUrl: string;
  mint(persona: PersonaId, options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

const loadKey = async (dir: string): Promise<KeyFile> => {
  const path = join(dir, 'signing-key.json');
  const existing = readJsonState(path, isKeyFile);
  if (existing) return existing;
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const file: KeyFile = { kid: randomUUID(), privateJwk: await exportJWK(privateKey) };
  writeJsonAtomicSync(path, file);
  return file;
};

export const startIssuer = async (dir: string, port: number): Promise<IssuerHandle> => {
  const { kid, privateJwk } = await loadKey(dir);
  const privateKey = await importJWK(privateJwk, ALG);
  const { d: _d, ...publicJwk } = privateJwk;
  const url = `http://127.0.0.1:${port}`;

  const mint = async (id: PersonaId, options: MintOptions = {}): Promise<string> => {
    const persona = PERSONAS[id];
    const now = Math.floor(Date.now() / 1000);
    const ttl = options.expiresInSeconds ?? DEFAULT_TTL_SECONDS;
    // The shape of a Cognito access token (what API Gateway sees deployed): `sub` is the identity,
    // groups in `cognito:groups`, scopes in `scope`, the app client in `client_id` and no `aud`.
    const claims: Record<string, unknown> = persona.scope
      ? { scope: persona.scope, client_id: AUDIENCE, token_use: 'access' }
      : {
          'cognito:groups': [...persona.groups],
          scope: `openid email profile ${STAFF_SCOPE}`,
          client_id: AUDIENCE,
          username: persona.staffId,
          token_use: 'access',
        };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
      .setIssuer(url)
      .setSubject(persona.staffId)
      .setJti(randomUUID())
      .setIssuedAt(ttl < 0 ? now + ttl - 60 : now)
      .setExpirationTime(now + ttl)
      .sign(privateKey);
  };

  /** The ID token of the portal's code flow (local/oidc.ts): who signed in, for the portal's header. */
  const mintId = async (id: PersonaId, clientId: string, nonce?: string): Promise<string> => {
    const persona = PERSONAS[id];
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ name: persona.name, staff_id: persona.staffId, ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: ALG, kid, typ: 'JWT' })
      .setIssuer(url)
      .setAudience(clientId)
      .setSubject(persona.staffId)
      .setIssuedAt(now)
      .setExpirationTime(now + DEFAULT_TTL_SECONDS)
      .sign(privateKey);
  };
  const codeFlow = oidcHandler({
    url,
    mintAccess: (id) => mint(id),
    mintId,
    ttlSeconds: DEFAULT_TTL_SECONDS,
  });
  // The portal (another origin) reads discovery and the JWKS from the browser.
  const cors = { 'access-control-allow-origin': '*' };

  const listening = await listen('issuer', port, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (codeFlow(req, res)) return;
    if (req.method === 'GET' && path === '/.well-known/jwks.json') {
      sendJson(
        res,
        200,
        { keys: [{ ...publicJwk, kid, alg: ALG, use: 'sig' }] },
        { 'cache-control': 'max-age=300', ...cors },
      );
    } else if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      sendJson(
        res,
        200,
        {
          issuer: url,
          jwks_uri: `${url}/.well-known/jwks.json`,
          token_endpoint: `${url}/token`,
          id_token_signing_alg_values_supported: [ALG],
          subject_types_supported: ['public'],
          ...oidcDiscovery(url),
        },
        cors,
      );
    } else if (req.method === 'GET' && path === '/personas') {
      sendJson(res, 200, { personas: PERSONA_IDS.map((id) => PERSONAS[id]) });
    } else if (req.method === 'POST' && path === '/token') {
      readBody(req, 64 * 1024)
        .then(async (raw) => {
          const body = JSON.parse(raw.toString('utf8') || '{}') as {
            persona?: unknown;
            expiresInSeconds?: unknown;
          };
          if (!isPersonaId(body.persona)) {
            sendJson(res, 400, { message: `persona must be one of: ${PERSONA_IDS.join(', ')}` });
            return;
          }
          const ttl = typeof body.expiresInSeconds === 'number' ? body.expiresInSeconds : undefined;
          const token = await mint(body.persona, { expiresInSeconds: ttl });
          sendJson(res, 200, {
            access_token: token,
            token_type: 'Bearer',
            expires_in: ttl ?? DEFAULT_TTL_SECONDS,
          });
        })
        .catch(() => sendJson(res, 400, { message: 'body must be JSON: {"persona": "<id>"}' }));
    } else {
      sendJson(res, 404, { message: 'Not Found' });
    }
  });

  return { url, jwksUrl: `${url}/.well-known/jwks.json`, mint, close: listening.close };
};
