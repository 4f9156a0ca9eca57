/**
 * Argo CD-style authentication: HS256 JWTs signed by the emulator, a
 * configured API token, username/password sessions (POST /api/v1/session).
 */
import crypto from 'node:crypto';
import { argoErrors } from '../logic/errors';

function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString('base64url');
}

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

  constructor(opts: {
    now: () => Date;
    users: Record<string, string>;
    staticTokens?: Map<string, string>;
    secret?: Buffer;
  }) {
    this.#secret = opts.secret ?? crypto.randomBytes(32);
    this.#now = opts.now;
    this.#users = opts.users;
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

  verify(token: string): TokenClaims {
    const [h, p, s] = token.split('.');
    const expected = b64url(
      crypto.createHmac('sha256', this.#secret).update(`${h}.${p}`).digest(),
    );
    const given = Buffer.from(s ?? '');
    const want = Buffer.from(expected);
    if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) {
      throw argoErrors.invalidSession(
        'token signature is invalid: signature is invalid',
      );
    }
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      throw argoErrors.invalidSession(
        'token is malformed: could not JSON decode claim',
      );
    }
    const now = this.#now().getTime() / 1000;
    if (claims.exp !== undefined && now >= claims.exp) {
      throw argoErrors.invalidSession('token is expired');
    }
    if (this.#revoked.has(claims.jti)) {
      throw argoErrors.invalidSession('token is revoked, please re-login');
    }
    return claims;
  }
}
