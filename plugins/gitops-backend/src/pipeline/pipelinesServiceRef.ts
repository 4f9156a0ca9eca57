import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readArgoCdInstances } from '../argocd/config';
import { readHelmClusters } from '../helm/config';
import { PipelineSet } from './Pipeline';
import { readPipelines } from './readPipelines';

/**
 * The validated pipelines from `gitops.pipelines`; a wrong config fails the
 * plugin's startup with the key path and the reason.
 *
 * @public
 */
export const pipelinesServiceRef = createServiceRef<PipelineSet>({
  id: 'gitops.pipelines',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory({ config }) {
        return readPipelines(
          config,
          readArgoCdInstances(config).map(i => i.name),
          readHelmClusters(config).map(c => c.name),
        );
      },
    }),
});
