import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ReadCache } from '../cache/ReadCache';
import { readCacheTtlMs } from '../cache/config';
import { readHelmClusters } from './config';
import { HelmReleaseReader } from './HelmReleaseReader';

/** Reads Helm release history from the configured clusters. @public */
export const helmReleaseReaderServiceRef = createServiceRef<HelmReleaseReader>({
  id: 'gitops.helm-release-reader',
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
        return HelmReleaseReader.create({
          clusters: readHelmClusters(config),
          cache: ReadCache.create({
            cache,
            defaultTtlMs: readCacheTtlMs(config),
          }),
          logger,
        });
      },
    }),
});
