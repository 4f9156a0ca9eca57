import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ReadCache } from '../cache/ReadCache';
import { readCacheTtlMs } from '../cache/config';
import { ArgoCdClient } from './ArgoCdClient';
import { readArgoCdInstances } from './config';

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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cache: coreServices.cache,
      },
      factory({ config, logger, cache }) {
        return ArgoCdClient.create({
          instances: readArgoCdInstances(config),
          cache: ReadCache.create({
            cache,
            defaultTtlMs: readCacheTtlMs(config),
          }),
          logger,
        });
      },
    }),
});
