import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_HAS_MEMBER,
  RELATION_OWNED_BY,
  RELATION_PARENT_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

const lc = (s: string) => s.toLocaleLowerCase('en-US');

function normalize(ref: string): string | undefined {
  try {
    return lc(stringifyEntityRef(parseEntityRef(ref)));
  } catch {
    return undefined;
  }
}

const isUser = (ref: string) => ref.startsWith('user:');

/**
 * Expands user and group refs into user refs through the catalog (groups'
 * `hasMember` users, child groups through `parentOf`), and finds an entity's
 * owners. Reads with the plugin's own credentials: who is a member is not
 * the recipient's secret; whether the recipient may see the entity is
 * decided separately ({@link RecipientVisibility}).
 *
 * @internal
 */
export class CatalogRecipients {
  readonly #catalog: Pick<CatalogService, 'getEntitiesByRefs'>;
  readonly #auth: Pick<AuthService, 'getOwnServiceCredentials'>;

  constructor(options: {
    catalog: Pick<CatalogService, 'getEntitiesByRefs'>;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
  }

  async #get(refs: string[]): Promise<Entity[]> {
    if (!refs.length) return [];
    const { items } = await this.#catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    return items.filter((e): e is Entity => Boolean(e));
  }

  /** Owner refs of the entity (its `ownedBy` relations), empty when it is gone. */
  async ownersOf(entityRef: string): Promise<string[]> {
    const [entity] = await this.#get([entityRef]);
    return (entity?.relations ?? [])
      .filter(r => r.type === RELATION_OWNED_BY)
      .map(r => lc(r.targetRef));
  }

  /**
   * User refs of these user/group refs. Users are kept only when they exist
   * in the catalog (a ref nobody can sign in as gets nothing).
   */
  async usersOf(refs: string[]): Promise<string[]> {
    const users = new Set<string>();
    const seen = new Set<string>();
    let todo = [
      ...new Set(refs.map(normalize).filter((r): r is string => !!r)),
    ];
    todo.forEach(r => seen.add(r));
    while (todo.length) {
      const entities = await this.#get(todo);
      todo = [];
      for (const e of entities) {
        const ref = lc(stringifyEntityRef(e));
        if (lc(e.kind) === 'user') {
          users.add(ref);
          continue;
        }
        if (lc(e.kind) !== 'group') continue;
        for (const r of e.relations ?? []) {
          const target = lc(r.targetRef);
          if (r.type === RELATION_HAS_MEMBER && isUser(target)) {
            if (!seen.has(target)) {
              seen.add(target);
              todo.push(target);
            }
          } else if (r.type === RELATION_PARENT_OF && !seen.has(target)) {
            seen.add(target);
            todo.push(target);
          }
        }
      }
    }
    return [...users].sort();
  }
}
