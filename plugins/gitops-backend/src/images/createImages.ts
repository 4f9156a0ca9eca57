import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createImageFactsReader } from '../adapters/imageFacts';
import { GitopsConfig } from '../config/types';
import { EnvironmentStateReader } from '../policy/ports';
import { RegistryClient } from '../registry/RegistryClient';
import { createImageRouter } from './createImageRouter';
import { ImageService, ImageServiceOptions } from './ImageService';

/**
 * Wiring of the image side: the registry client from `gitops.registries`,
 * the image service over the read side, the policy's `getImageFacts` port
 * and the image routes.
 *
 * @internal
 */
export function createImages(deps: {
  gitopsConfig: Pick<GitopsConfig, 'registries' | 'pipelines' | 'policies'>;
  reader: Pick<EnvironmentStateReader, 'getEnvironments' | 'getHistory'>;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  logger: LoggerService;
  /** Versions whose sign-off stands as verified in an environment (verification/). */
  verifiedVersions?: ImageServiceOptions['verifiedVersions'];
}) {
  const registry = new RegistryClient({
    registries: deps.gitopsConfig.registries,
  });
  const service = new ImageService({
    registry,
    state: deps.reader,
    pipelines: deps.gitopsConfig.pipelines,
    policies: deps.gitopsConfig.policies,
    logger: deps.logger,
    verifiedVersions: deps.verifiedVersions,
  });
  return {
    service,
    facts: createImageFactsReader(service),
    router: createImageRouter({
      httpAuth: deps.httpAuth,
      catalog: deps.catalog,
      images: service,
    }),
  };
}
