import crypto from 'node:crypto';
import { RegistryConfig } from './config';
import { expectRegistryOk, hostRegistryError, registryError } from './errors';
import {
  DIGEST,
  RepositoryRef,
  nextLink,
  parseRepository,
  tagListSchema,
} from './parse';
import { RegistryAuth, RegistrySend } from './registryAuth';

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

/**
 * Client of the Docker Registry HTTP API v2 / OCI distribution API (read
 * only): whether a tag exists and its manifest digest, and a repository's
 * tags (paginated through `Link`). Authenticates as registries ask
 * (`WWW-Authenticate`) through {@link RegistryAuth}: anonymous, Basic, or a
 * cached bearer token from the challenge's token endpoint. Errors carry a
 * {@link RegistryErrorCode} and never echo credentials or upstream bodies.
 *
 * @internal
 */
export class RegistryClient {
  readonly #registries: Map<string, RegistryConfig>;
  readonly #auth: RegistryAuth;
  readonly #pageSize: number;

  constructor(options: RegistryClientOptions) {
    this.#registries = new Map(options.registries.map(r => [r.host, r]));
    this.#auth = new RegistryAuth({
      fetch: options.fetch ?? fetch,
      now: options.now ?? Date.now,
    });
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
    expectRegistryOk(registry, head, `HEAD manifest ${ref.name}:${reference}`);
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
    expectRegistryOk(registry, get, `GET manifest ${ref.name}:${reference}`);
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
      const parsed = tagListSchema.safeParse(body);
      if (!parsed.success) {
        throw hostRegistryError(
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
      throw hostRegistryError(
        registry,
        'invalid-response',
        'the registry sent a Docker-Content-Digest that is not a digest',
      );
    }
    return d;
  }

  #send(registry: RegistryConfig, req: RegistrySend): Promise<Response> {
    return this.#auth.send(registry, req);
  }
}
