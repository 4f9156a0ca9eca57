import { Entity } from '@backstage/catalog-model';
import { EntityGitOpsState } from '@internal/plugin-gitops-common';
import pLimit from 'p-limit';
import { FleetStateResult, FleetStateSource } from './ports';

/** The read side as the fleet uses it: the tab's read of one entity. @internal */
export interface EntityStateReader {
  getEnvironments(entity: Entity): Promise<EntityGitOpsState>;
}

/**
 * The fleet's state source over the read side (`GitOpsStateService`): the
 * same read path as the tab (the mirror when it is live, else the read
 * cache), so the fleet shows exactly what each tab shows. Entities are read
 * with bounded concurrency; an entity that cannot be read at all carries the
 * error's class and sentence (the read side never puts upstream bodies or
 * credentials into them).
 *
 * @internal
 */
export function createFleetStateSource(
  state: EntityStateReader,
  options: { concurrency?: number } = {},
): FleetStateSource {
  const limit = pLimit(options.concurrency ?? 32);
  return {
    read(entities) {
      return Promise.all(
        entities.map(entity =>
          limit(async (): Promise<FleetStateResult> => {
            try {
              return { state: await state.getEnvironments(entity) };
            } catch (e) {
              const err = e as Error;
              return {
                error: {
                  name: err?.name ?? 'Error',
                  message: err?.message ?? String(e),
                },
              };
            }
          }),
        ),
      );
    },
  };
}
