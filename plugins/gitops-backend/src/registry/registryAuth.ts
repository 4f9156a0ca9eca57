import { RegistryConfig } from './config';
import { expectRegistryOk, hostRegistryError } from './errors';
import { AuthChallenge, parseChallenge, tokenSchema } from './parse';

/** Token lifetime when the token endpoint names none (the Docker token spec's default). */
const DEFAULT_TOKEN_SECONDS = 60;

/** One registry call as {@link RegistryAuth.send} takes it. @internal */
export type RegistrySend = {
  method: 'GET' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  /** For messages: e.g. `HEAD manifest shop/api:v1`. */
  what: string;
  scope: string;
};

/**
 * The auth flows of the registry client: sends a call as the registry asks
 * (`WWW-Authenticate`): anonymous, Basic with the configured account, or a
 * bearer token from the challenge's token endpoint (with the account's
 * Basic credentials, or anonymously), cached per registry and scope until it
 * expires; a static `token` is sent as is. Credentials go to a token
 * endpoint only over https or on the registry's own host. Transport failures
 * become `timeout` / `unreachable` registry errors.
 *
 * @internal
 */
export class RegistryAuth {
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(options: { fetch: typeof fetch; now: () => number }) {
    this.#fetch = options.fetch;
    this.#now = options.now;
  }

  /** One call with the auth flow: cached or static token / Basic, then the challenge once. */
  async send(registry: RegistryConfig, req: RegistrySend): Promise<Response> {
    const cacheKey = `${registry.host} ${req.scope}`;
    const first = this.#authorization(registry, cacheKey);
    const res = await this.#raw(
      registry,
      { ...req, headers: { ...req.headers, ...first } },
      req.what,
    );
    if (res.status !== 401 || registry.token) return res;
    this.#tokens.delete(cacheKey);
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    let authorization: string | undefined;
    if (challenge?.scheme === 'bearer' && challenge.realm) {
      authorization = `Bearer ${await this.#token(
        registry,
        challenge,
        req.scope,
        cacheKey,
      )}`;
    } else if (
      challenge?.scheme === 'basic' &&
      registry.username &&
      !first.authorization
    ) {
      authorization = basicAuthorization(registry);
    }
    if (!authorization) return res;
    return this.#raw(
      registry,
      { ...req, headers: { ...req.headers, authorization } },
      req.what,
    );
  }

  /** One call as is (no auth flow), with the registry's timeout. */
  async #raw(
    registry: RegistryConfig,
    req: { method: string; url: string; headers?: Record<string, string> },
    what: string,
  ): Promise<Response> {
    try {
      return await this.#fetch(req.url, {
        method: req.method,
        headers: req.headers,
        redirect: 'follow',
        signal: AbortSignal.timeout(registry.timeoutMs),
      });
    } catch (e) {
      const name = (e as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw hostRegistryError(
          registry,
          'timeout',
          `${what} took longer than ${registry.timeoutMs} ms`,
        );
      }
      const cause = (e as { cause?: { code?: string } })?.cause?.code;
      throw hostRegistryError(
        registry,
        'unreachable',
        `${what} failed: ${cause ?? 'no connection'}`,
      );
    }
  }

  #authorization(
    registry: RegistryConfig,
    cacheKey: string,
  ): { authorization?: string } {
    if (registry.token) return { authorization: `Bearer ${registry.token}` };
    const cached = this.#tokens.get(cacheKey);
    if (cached && cached.expiresAt > this.#now()) {
      return { authorization: `Bearer ${cached.token}` };
    }
    if (registry.auth === 'basic')
      return { authorization: basicAuthorization(registry) };
    return {};
  }

  async #token(
    registry: RegistryConfig,
    challenge: AuthChallenge,
    scope: string,
    cacheKey: string,
  ): Promise<string> {
    let realm: URL;
    try {
      realm = new URL(challenge.realm!);
    } catch {
      throw hostRegistryError(
        registry,
        'invalid-response',
        'the bearer challenge names no valid token realm',
      );
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw hostRegistryError(
        registry,
        'invalid-response',
        'the bearer challenge names no valid token realm',
      );
    }
    if (challenge.service) realm.searchParams.set('service', challenge.service);
    realm.searchParams.set('scope', challenge.scope ?? scope);
    const sameHost = realm.hostname === new URL(registry.url).hostname;
    const basic =
      registry.auth !== 'anonymous' && (realm.protocol === 'https:' || sameHost)
        ? basicAuthorization(registry)
        : undefined;
    const what = `token request to ${realm.host}`;
    const res = await this.#raw(
      registry,
      {
        method: 'GET',
        url: realm.toString(),
        headers: basic ? { authorization: basic } : {},
      },
      what,
    );
    if (res.status === 401 || res.status === 403) {
      throw hostRegistryError(
        registry,
        'unauthenticated',
        `${what} answered ${res.status} (credentials refused)`,
        res.status,
      );
    }
    expectRegistryOk(registry, res, what);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw hostRegistryError(
        registry,
        'invalid-response',
        `${what}: not JSON`,
      );
    }
    const parsed = tokenSchema.safeParse(body);
    if (!parsed.success) {
      throw hostRegistryError(
        registry,
        'invalid-response',
        `${what}: no token`,
      );
    }
    const token = (parsed.data.token ?? parsed.data.access_token)!;
    const seconds = parsed.data.expires_in ?? DEFAULT_TOKEN_SECONDS;
    // renew a little early, so a token does not expire in flight
    this.#tokens.set(cacheKey, {
      token,
      expiresAt: this.#now() + seconds * 900,
    });
    return token;
  }
}

function basicAuthorization(registry: RegistryConfig): string | undefined {
  return registry.username
    ? `Basic ${Buffer.from(
        `${registry.username}:${registry.password ?? ''}`,
      ).toString('base64')}`
    : undefined;
}
