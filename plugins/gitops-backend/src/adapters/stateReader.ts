import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { DeploymentService } from '../deployments/DeploymentService';
import {
  ArgoWindowClient,
  readArgoCdWindowFacts,
  readArgoCdWindows,
} from '../windows/PolicyWindowStateProvider';
import { EntityLoader, EnvironmentStateReader } from '../policy/ports';

/**
 * Adapts the read side (`GitOpsStateService`) and the Argo CD client to what
 * the policy and change services need (their ports in src/policy/ports.ts).
 *
 * @internal
 */
export function createEnvironmentStateReader(options: {
  state: Pick<EnvironmentStateReader, 'getEnvironments' | 'getHistory'>;
  client: Pick<ArgoCdClient, 'getSyncWindows'> & ArgoWindowClient;
  /** The deployment record (rollback by any recorded version). */
  deployments?: Pick<DeploymentService, 'list'>;
}): EnvironmentStateReader {
  const { state, client, deployments } = options;
  const applicationOf = async (entity: Entity, environment: string) =>
    (await state.getEnvironments(entity)).environments.find(
      e => e.name === environment,
    )?.application;
  return {
    getEnvironments: entity => state.getEnvironments(entity),
    getHistory: (entity, env) => state.getHistory(entity, env),
    async getArgoCdWindows(entity: Entity, environment: string) {
      const app = await applicationOf(entity, environment);
      return app ? readArgoCdWindows(client, app) : [];
    },
    async getArgoCdWindowFacts(entity: Entity, environment: string) {
      const app = await applicationOf(entity, environment);
      return app ? readArgoCdWindowFacts(client, app) : undefined;
    },
    ...(deployments
      ? {
          async getRecordedDeployments(entity: Entity, environment: string) {
            const records = await deployments.list(
              stringifyEntityRef(entity),
              environment,
            );
            return records
              .filter(r => !!r.version && r.outcome === 'succeeded')
              .map(r => ({
                version: r.version!,
                changeId: r.changeId,
                ...(r.finishedAt
                  ? { finishedAt: r.finishedAt.toISOString() }
                  : {}),
              }));
          },
        }
      : {}),
  };
}

/**
 * Loads entities from the catalog as the caller (so catalog visibility rules
 * apply: an entity the caller cannot see is "unknown").
 *
 * @internal
 */
export function createEntityLoader(catalog: CatalogService): EntityLoader {
  return {
    async getEntity(entityRef, credentials) {
      return catalog.getEntityByRef(entityRef, { credentials });
    },
    async getVisibleRefs(entityRefs, credentials) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs, fields: ['kind', 'metadata.namespace', 'metadata.name'] },
        { credentials },
      );
      return new Set(
        items
          .filter((e): e is Entity => Boolean(e))
          .map(e => stringifyEntityRef(e)),
      );
    },
  };
}
