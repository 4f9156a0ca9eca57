import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { ChangeStore, StoredChange } from '../store/ChangeStore';
import { Caller, ChangePermissions, EntityLoader } from './ports';

/**
 * Entity access for the change routes: catalog visibility (a change whose
 * entity the caller cannot see answers as if it did not exist) and the
 * permission checks on the entity.
 *
 * @internal
 */
export class EntityAccess {
  readonly #store: ChangeStore;
  readonly #entities: EntityLoader;
  readonly #permissions: ChangePermissions;

  static create(options: {
    store: ChangeStore;
    entities: EntityLoader;
    permissions: ChangePermissions;
  }): EntityAccess {
    return new EntityAccess(options);
  }

  private constructor(options: {
    store: ChangeStore;
    entities: EntityLoader;
    permissions: ChangePermissions;
  }) {
    this.#store = options.store;
    this.#entities = options.entities;
    this.#permissions = options.permissions;
  }

  /** Throws NotAllowedError naming the action when denied. */
  require(
    action: 'create' | 'approve' | 'override',
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    return this.#permissions.require(action, entityRef, credentials);
  }

  /** The entity as the caller sees it; 404 naming `entityRef` when not visible. */
  async entity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.#entities.getEntity(entityRef, credentials);
    if (!entity) {
      throw new NotFoundError(
        `entityRef: no entity ${entityRef} in the catalog`,
      );
    }
    return entity;
  }

  /** The changes whose entity the caller may see in the catalog. */
  async visible<T extends { entityRef: string }>(
    changes: T[],
    credentials: BackstageCredentials,
  ): Promise<T[]> {
    const refs = [...new Set(changes.map(c => c.entityRef))];
    if (!refs.length) return changes;
    let visible: Set<string>;
    if (this.#entities.getVisibleRefs) {
      visible = await this.#entities.getVisibleRefs(refs, credentials);
    } else {
      const found = await Promise.all(
        refs.map(async r =>
          (await this.#entities.getEntity(r, credentials)) ? r : undefined,
        ),
      );
      visible = new Set(found.filter((r): r is string => Boolean(r)));
    }
    return changes.filter(c => visible.has(c.entityRef));
  }

  /** Raw stored change (for permission and audit lookups); 404 when absent. */
  async stored(id: string): Promise<StoredChange> {
    const change = await this.#store.getChange(id);
    if (!change) {
      throw new NotFoundError(`id: change ${id} does not exist`);
    }
    return change;
  }

  /**
   * A change and its entity as the caller sees it (one catalog read); 404
   * when the change is absent or its entity hidden from the caller.
   */
  async visibleChange(
    id: string,
    caller: Caller,
    stored?: StoredChange,
  ): Promise<{ change: StoredChange; entity: Entity }> {
    const change = stored?.id === id ? stored : await this.stored(id);
    const entity = await this.#entities.getEntity(
      change.entityRef,
      caller.credentials,
    );
    if (!entity) {
      throw new NotFoundError(`id: change ${id} does not exist`);
    }
    return { change, entity };
  }
}
