import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Decides which recipients may see a change's entity; the notifier sends
 * nothing to the others.
 *
 * Backstage offers no way for a plugin to ask the permission framework (or
 * the catalog) as a user who is not the caller: credentials are only ever
 * those of the request being served, `auth.getPluginRequestToken` forwards
 * them but cannot mint them for someone else, and the permission policy
 * reads the user's identity from their token. So an exact per-recipient
 * check is impossible from a background transition (expiry, execution) or
 * for a recipient other than the actor. Implementations decide from what
 * the plugin can know; see {@link CatalogEntityVisibility}.
 *
 * @internal
 */
export interface RecipientVisibility {
  /** Of these user refs, the ones who may see `entityRef` in the catalog. */
  visibleTo(entityRef: string, userRefs: string[]): Promise<string[]>;
}

/**
 * Default visibility: nobody sees an entity the catalog no longer has (read
 * with the plugin's own credentials, the widest view), and `rule`, when
 * given, filters the recipients further (a deployment whose permission
 * policy restricts `catalog.entity.read` plugs its rule in here, evaluated
 * on the recipient's user ref).
 *
 * @internal
 */
export class CatalogEntityVisibility implements RecipientVisibility {
  readonly #catalog: Pick<CatalogService, 'getEntityByRef'>;
  readonly #auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  readonly #rule?: (entityRef: string, userRef: string) => Promise<boolean>;

  constructor(options: {
    catalog: Pick<CatalogService, 'getEntityByRef'>;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    rule?: (entityRef: string, userRef: string) => Promise<boolean>;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#rule = options.rule;
  }

  async visibleTo(entityRef: string, userRefs: string[]): Promise<string[]> {
    if (!userRefs.length) return [];
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials: await this.#auth.getOwnServiceCredentials(),
    });
    if (!entity) return [];
    const rule = this.#rule;
    if (!rule) return userRefs;
    const allowed = await Promise.all(
      userRefs.map(async u => ((await rule(entityRef, u)) ? u : undefined)),
    );
    return allowed.filter((u): u is string => Boolean(u));
  }
}
