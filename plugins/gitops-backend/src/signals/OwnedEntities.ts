import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** How long one owner's entity list is reused: 1 minute. @internal */
export const OWNED_ENTITIES_TTL_MS = 60_000;

/**
 * The entities a group owns (`relations.ownedBy`), for applications bound by
 * a `gitops.bindings` rule's `owners`: their tabs are told to look again.
 * Read with the plugin's own credentials (only refs are kept, and only used to
 * name channels); cached per owner for {@link OWNED_ENTITIES_TTL_MS}.
 *
 * @internal
 */
export class OwnedEntities {
  readonly #catalog: Pick<CatalogService, 'getEntities'>;
  readonly #auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  readonly #now: () => number;
  readonly #cache = new Map<string, { at: number; refs: Promise<string[]> }>();

  constructor(options: {
    catalog: Pick<CatalogService, 'getEntities'>;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    now?: () => number;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#now = options.now ?? Date.now;
  }

  of(ownerRef: string): Promise<string[]> {
    const hit = this.#cache.get(ownerRef);
    if (hit && this.#now() - hit.at < OWNED_ENTITIES_TTL_MS) return hit.refs;
    const refs = this.#load(ownerRef);
    this.#cache.set(ownerRef, { at: this.#now(), refs });
    // a failed read is not cached
    refs.catch(() => this.#cache.delete(ownerRef));
    return refs;
  }

  async #load(ownerRef: string): Promise<string[]> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: { 'relations.ownedBy': ownerRef },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    return items.map(e => stringifyEntityRef(e));
  }
}
