import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ReadCache } from '../cache/ReadCache';
import { gitopsConfigServiceRef } from '../config/gitopsConfigServiceRef';
import { HelmReleaseReader } from './HelmReleaseReader';

/** Reads Helm release history from the configured clusters. @public */
export const helmReleaseReaderServiceRef = createServiceRef<HelmReleaseReader>({
  id: 'gitops.helm-release-reader',
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
        return HelmReleaseReader.create({
          clusters: gitopsConfig.helmClusters,
          cache: ReadCache.create({
            cache,
            defaultTtlMs: gitopsConfig.cacheTtlMs,
          }),
          logger,
        });
      },
    }),
});
