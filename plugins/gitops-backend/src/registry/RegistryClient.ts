import crypto from 'node:crypto';
import { RegistryConfig } from './config';
import { RegistryErrorCode, registryError } from './errors';
import {
  AuthChallenge,
  DIGEST,
  RepositoryRef,
  nextLink,
  parseChallenge,
  parseRepository,
  tagListSchema,
  tokenSchema,
} from './parse';

/** Manifest media types asked for (images and multi-arch indexes, OCI and Docker). @internal */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** A tag's manifest as the registry serves it. @internal */
export interface ManifestInfo {
  /** `sha256:…` (the registry's `Docker-Content-Digest`, else the body's hash). */
  digest: string;
  mediaType?: string;
}

/** Options of {@link RegistryClient}. @internal */
export interface RegistryClientOptions {
  registries: RegistryConfig[];
  fetch?: typeof fetch;
  /** Clock for the token cache (ms). */
  now?: () => number;
  /** Tags asked for per page (`n`). Default 100. */
  pageSize?: number;
}

const PAGE_SIZE = 100;
const MAX_PAGES = 50;
/** Token lifetime when the token endpoint names none (the Docker token spec's default). */
const DEFAULT_TOKEN_SECONDS = 60;

type Send = {
  method: 'GET' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  /** For messages: e.g. `HEAD manifest shop/api:v1`. */
  what: string;
  scope: string;
};

/**
 * Client of the Docker Registry HTTP API v2 / OCI distribution API (read
 * only): whether a tag exists and its manifest digest, and a repository's
 * tags (paginated through `Link`). Authenticates as registries ask
 * (`WWW-Authenticate`): anonymous, Basic with the configured account, or a
 * bearer token from the challenge's token endpoint (with the account's
 * Basic credentials, or anonymously), cached per registry and scope until it
 * expires; a static `token` is sent as is. Credentials go to a token
 * endpoint only over https or on the registry's own host. Errors carry a
 * {@link RegistryErrorCode} and never echo credentials or upstream bodies.
 *
 * @internal
 */
export class RegistryClient {
  readonly #registries: Map<string, RegistryConfig>;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #pageSize: number;
  readonly #tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(options: RegistryClientOptions) {
    this.#registries = new Map(options.registries.map(r => [r.host, r]));
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#pageSize = options.pageSize ?? PAGE_SIZE;
  }

  /** The registry config and repository name of an image repository (undefined: none configured). */
  resolve(
    repository: string,
  ): { registry: RegistryConfig; ref: RepositoryRef } | undefined {
    const ref = parseRepository(repository);
    const registry = ref && this.#registries.get(ref.host);
    return ref && registry ? { registry, ref } : undefined;
  }

  #target(repository: string) {
    const ref = parseRepository(repository);
    if (!ref) {
      throw registryError(
        { code: 'not-configured', host: '' },
        `'${repository}' is not an image repository`,
      );
    }
    const registry = this.#registries.get(ref.host);
    if (!registry) {
      throw registryError(
        { code: 'not-configured', host: ref.host },
        `no registry is configured for ${ref.host} (gitops.registries)`,
      );
    }
    return { registry, ref };
  }

  /** The manifest of a tag (or digest); undefined when the registry has none (404). */
  async manifest(
    repository: string,
    reference: string,
  ): Promise<ManifestInfo | undefined> {
    const { registry, ref } = this.#target(repository);
    const url = `${registry.url}/v2/${ref.name}/manifests/${encodeURIComponent(
      reference,
    )}`;
    const base = {
      url,
      headers: { accept: MANIFEST_ACCEPT },
      scope: `repository:${ref.name}:pull`,
    };
    const head = await this.#send(registry, {
      ...base,
      method: 'HEAD',
      what: `HEAD manifest ${ref.name}:${reference}`,
    });
    if (head.status === 404) return undefined;
    this.#expectOk(registry, head, `HEAD manifest ${ref.name}:${reference}`);
    const mediaType = head.headers.get('content-type') ?? undefined;
    const digest = head.headers.get('docker-content-digest');
    if (digest) return { digest: this.#digest(registry, digest), mediaType };
    // Some registries send the digest only with the body: hash what they serve.
    const get = await this.#send(registry, {
      ...base,
      method: 'GET',
      what: `GET manifest ${ref.name}:${reference}`,
    });
    if (get.status === 404) return undefined;
    this.#expectOk(registry, get, `GET manifest ${ref.name}:${reference}`);
    const body = Buffer.from(await get.arrayBuffer());
    const sent = get.headers.get('docker-content-digest');
    return {
      digest: sent
        ? this.#digest(registry, sent)
        : `sha256:${crypto.createHash('sha256').update(body).digest('hex')}`,
      mediaType: get.headers.get('content-type') ?? mediaType,
    };
  }

  /** Every tag of a repository (all pages); [] when the repository is unknown (404). */
  async tags(repository: string): Promise<string[]> {
    const { registry, ref } = this.#target(repository);
    const origin = new URL(registry.url).origin;
    let url: string | undefined = `${registry.url}/v2/${ref.name}/tags/list?n=${
      this.#pageSize
    }`;
    const tags: string[] = [];
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const what = `GET tags of ${ref.name}`;
      const res = await this.#send(registry, {
        method: 'GET',
        url,
        what,
        scope: `repository:${ref.name}:pull`,
      });
      if (res.status === 404) return tags;
      this.#expectOk(registry, res, what);
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw this.#error(registry, 'invalid-response', `${what}: not JSON`);
      }
      const parsed = tagListSchema.safeParse(body);
      if (!parsed.success) {
        throw this.#error(
          registry,
          'invalid-response',
          `${what}: not a tag list (${parsed.error.issues[0]?.path.join(
            '.',
          )}: ${parsed.error.issues[0]?.message})`,
        );
      }
      tags.push(...(parsed.data.tags ?? []));
      const next = nextLink(res.headers.get('link'));
      if (!next) break;
      const nextUrl = new URL(next, `${registry.url}/`);
      // never follow a Link to another origin (our credentials would go along)
      url = nextUrl.origin === origin ? nextUrl.toString() : undefined;
    }
    return [...new Set(tags)];
  }

  #digest(registry: RegistryConfig, value: string): string {
    const d = value.trim();
    if (!DIGEST.test(d)) {
      throw this.#error(
        registry,
        'invalid-response',
        'the registry sent a Docker-Content-Digest that is not a digest',
      );
    }
    return d;
  }

  #error(
    registry: RegistryConfig,
    code: RegistryErrorCode,
    detail: string,
    status?: number,
  ) {
    return registryError(
      { code, host: registry.host, ...(status ? { status } : {}) },
      `registry ${registry.host}: ${detail}`,
    );
  }

  #expectOk(registry: RegistryConfig, res: Response, what: string) {
    if (res.ok) return;
    let code: RegistryErrorCode = 'unavailable';
    if (res.status === 401) code = 'unauthenticated';
    else if (res.status === 403) code = 'permission-denied';
    throw this.#error(
      registry,
      code,
      `${what} answered ${res.status}${
        code === 'unauthenticated' ? ' (credentials refused)' : ''
      }`,
      res.status,
    );
  }

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
        throw this.#error(
          registry,
          'timeout',
          `${what} took longer than ${registry.timeoutMs} ms`,
        );
      }
      const cause = (e as { cause?: { code?: string } })?.cause?.code;
      throw this.#error(
        registry,
        'unreachable',
        `${what} failed: ${cause ?? 'no connection'}`,
      );
    }
  }

  #basic(registry: RegistryConfig): string | undefined {
    return registry.username
      ? `Basic ${Buffer.from(
          `${registry.username}:${registry.password ?? ''}`,
        ).toString('base64')}`
      : undefined;
  }

  /** One call with the auth flow: cached or static token / Basic, then the challenge once. */
  async #send(registry: RegistryConfig, req: Send): Promise<Response> {
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
      authorization = this.#basic(registry);
    }
    if (!authorization) return res;
    return this.#raw(
      registry,
      { ...req, headers: { ...req.headers, authorization } },
      req.what,
    );
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
      return { authorization: this.#basic(registry) };
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
      throw this.#error(
        registry,
        'invalid-response',
        'the bearer challenge names no valid token realm',
      );
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw this.#error(
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
        ? this.#basic(registry)
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
      throw this.#error(
        registry,
        'unauthenticated',
        `${what} answered ${res.status} (credentials refused)`,
        res.status,
      );
    }
    this.#expectOk(registry, res, what);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw this.#error(registry, 'invalid-response', `${what}: not JSON`);
    }
    const parsed = tokenSchema.safeParse(body);
    if (!parsed.success) {
      throw this.#error(registry, 'invalid-response', `${what}: no token`);
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
