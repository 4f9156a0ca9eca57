/**
 * Argo CD-style authentication: HS256 JWTs signed by the emulator, a
 * configured API token, username/password sessions (POST /api/v1/session).
 */
import crypto from 'node:crypto';
import { argoErrors } from '../logic/errors';

function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString('base64url');
}

/** Signing methods golang-jwt v5 knows (others: "signing method (alg) is unavailable"). */
const KNOWN_ALGS = new Set([
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'none',
]);

/** Claims of an emulator-issued token. @public */
export interface TokenClaims {
  iss: string;
  sub: string;
  iat: number;
  nbf: number;
  exp?: number;
  jti: string;
}

/** Whether a bearer value is JWT-shaped (three dot-separated parts). @public */
export function isJwtShaped(token: string): boolean {
  return token.split('.').length === 3;
}

/** @public */
export class SessionManager {
  readonly #secret: Buffer;
  readonly #now: () => Date;
  readonly #staticTokens: Map<string, string>;
  readonly #users: Record<string, string>;
  readonly #revoked = new Set<string>();
  readonly #accounts: () => string[];

  constructor(opts: {
    now: () => Date;
    users: Record<string, string>;
    staticTokens?: Map<string, string>;
    secret?: Buffer;
    /** Accounts that exist (default `admin` and the users). */
    accounts?: () => string[];
  }) {
    this.#secret = opts.secret ?? crypto.randomBytes(32);
    this.#now = opts.now;
    this.#users = opts.users;
    this.#accounts =
      opts.accounts ?? (() => ['admin', ...Object.keys(opts.users)]);
    this.#staticTokens = opts.staticTokens ?? new Map();
  }

  /** Issues a signed token for `sub` (optionally expiring after `ttlSeconds`). */
  issue(sub: string, ttlSeconds?: number): string {
    const now = Math.floor(this.#now().getTime() / 1000);
    const claims: TokenClaims = {
      iss: 'argocd',
      sub,
      iat: now,
      nbf: now,
      jti: crypto.randomUUID(),
      ...(ttlSeconds ? { exp: now + ttlSeconds } : {}),
    };
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(JSON.stringify(claims));
    const sig = b64url(
      crypto
        .createHmac('sha256', this.#secret)
        .update(`${header}.${payload}`)
        .digest(),
    );
    return `${header}.${payload}.${sig}`;
  }

  /** Registers an accepted static token for a user (e.g. the configured API token). */
  addStaticToken(token: string, username: string) {
    this.#staticTokens.set(token, username);
  }

  /** Logs in with username/password; returns a 24h session token. */
  login(username: string | undefined, password: string | undefined): string {
    if (
      !username ||
      password === undefined ||
      this.#users[username] === undefined
    ) {
      throw argoErrors.invalidSession('Invalid username or password');
    }
    const a = Buffer.from(this.#users[username]);
    const b = Buffer.from(password);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
      throw argoErrors.invalidSession('Invalid username or password');
    }
    return this.issue(username, 24 * 3600);
  }

  revoke(token: string) {
    try {
      const claims = this.verify(token);
      this.#revoked.add(claims.jti);
    } catch {
      // logging out an invalid token is a no-op
    }
  }

  /** Verifies a token; throws Argo CD's 401 errors. Returns the username. */
  authenticate(bearer: string | undefined, cookie: string | undefined): string {
    // Argo CD ignores bearer values that are not JWT-shaped; the emulator also
    // accepts its configured static tokens verbatim (see README).
    const candidates = [bearer, cookie].filter((t): t is string => !!t);
    for (const token of candidates) {
      const user = this.#staticTokens.get(token);
      if (user) return user;
      if (!isJwtShaped(token)) continue;
      return this.#subject(this.verify(token));
    }
    throw argoErrors.noSession();
  }

  #subject(c: TokenClaims): string {
    return c.sub.includes(':') ? c.sub.split(':')[0] : c.sub;
  }

  /**
   * Verifies a token the way Argo CD v3.5.1 does (util/session/sessionmanager.go
   * VerifyToken + Parse on golang-jwt v5.3.1), in its order and with its texts:
   * malformed segments first, then the issuer (not `argocd` = an SSO token, and
   * SSO is not configured here), the signing method, the signature, the time
   * claims, the account, the `jti` and revocation. Throws `invalid session: <reason>`.
   */
  verify(token: string): TokenClaims {
    const parts = token.split('.');
    if (parts.length !== 3)
      throw invalid(
        'token is malformed: token contains an invalid number of segments',
      );
    const [h, p, s] = parts;
    const header = decodeSegment(h, 'header') as { alg?: unknown };
    const claims = decodeSegment(p, 'claim') as TokenClaims & { iss?: unknown };
    if (claims?.iss !== 'argocd') throw invalid('SSO is not configured');
    if (header?.alg === undefined || header.alg === '')
      throw invalid(
        'token is unverifiable: signing method (alg) is unspecified',
      );
    if (!KNOWN_ALGS.has(String(header.alg)))
      throw invalid(
        'token is unverifiable: signing method (alg) is unavailable',
      );
    if (!String(header.alg).startsWith('HS'))
      throw invalid(
        `token is unverifiable: error while executing keyfunc: unexpected signing method: ${header.alg}`,
      );
    const badByte = illegalBase64Byte(s);
    if (badByte !== undefined)
      throw invalid(
        `token is malformed: could not base64 decode signature: illegal base64 data at input byte ${badByte}`,
      );
    const expected = b64url(
      crypto.createHmac('sha256', this.#secret).update(`${h}.${p}`).digest(),
    );
    const given = Buffer.from(s);
    const want = Buffer.from(expected);
    if (
      header.alg !== 'HS256' ||
      given.length !== want.length ||
      !crypto.timingSafeEqual(given, want)
    ) {
      throw invalid('token signature is invalid: signature is invalid');
    }
    const now = this.#now().getTime() / 1000;
    const claimErrors: string[] = [];
    if (typeof claims.exp === 'number' && !(now < claims.exp))
      claimErrors.push('token is expired');
    if (typeof claims.nbf === 'number' && now < claims.nbf)
      claimErrors.push('token is not valid yet');
    if (claimErrors.length)
      throw invalid(`token has invalid claims: ${claimErrors.join(', ')}`);
    const account = String(claims.sub ?? '').split(':')[0];
    if (!this.#accounts().includes(account))
      throw invalid(
        `rpc error: code = NotFound desc = account '${account}' does not exist`,
      );
    if (!claims.jti)
      throw invalid(
        'token does not have a unique identifier (jti claim) and cannot be validated',
      );
    if (this.#revoked.has(claims.jti))
      throw invalid('token is revoked, please re-login');
    return claims;
  }
}

function invalid(reason: string) {
  return argoErrors.invalidSession(reason);
}

/** Index of the first byte Go's base64.RawURLEncoding refuses, if any. */
function illegalBase64Byte(seg: string): number | undefined {
  const i = seg.search(/[^A-Za-z0-9_-]/);
  if (i >= 0) return i;
  if (seg.length % 4 === 1) return seg.length - 1;
  return undefined;
}

/** Decodes a header/claim segment with golang-jwt's error texts (Go's JSON errors approximated). */
function decodeSegment(seg: string, what: 'header' | 'claim'): unknown {
  const badByte = illegalBase64Byte(seg);
  if (badByte !== undefined)
    throw invalid(
      `token is malformed: could not base64 decode ${what}: illegal base64 data at input byte ${badByte}`,
    );
  const text = Buffer.from(seg, 'base64url').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    const first = text.trim()[0];
    const detail =
      first === undefined
        ? 'unexpected end of JSON input'
        : `invalid character '${first}' looking for beginning of value`;
    throw invalid(
      `token is malformed: could not JSON decode ${what}: ${detail}`,
    );
  }
}
