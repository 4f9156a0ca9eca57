import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ReadCache } from '../cache/ReadCache';
import { gitopsConfigServiceRef } from '../config/gitopsConfigServiceRef';
import { ArgoCdClient } from './ArgoCdClient';

/**
 * The plugin's Argo CD client. Replace it in tests with
 * `createServiceFactory({ service: argoCdClientServiceRef, … })`.
 *
 * @public
 */
export const argoCdClientServiceRef = createServiceRef<ArgoCdClient>({
  id: 'gitops.argocd-client',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        gitopsConfig: gitopsConfigServiceRef,
        logger: coreServices.logger,
        cache: coreServices.cache,
      },
      factory({ gitopsConfig, logger, cache }) {
        return ArgoCdClient.create({
          instances: gitopsConfig.instances,
          cache: ReadCache.create({
            cache,
            defaultTtlMs: gitopsConfig.cacheTtlMs,
          }),
          logger,
        });
      },
    }),
});
