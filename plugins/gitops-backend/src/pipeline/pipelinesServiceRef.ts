import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { gitopsConfigServiceRef } from '../config/gitopsConfigServiceRef';
import { PipelineSet } from './Pipeline';

/**
 * The validated pipelines from `gitops.pipelines` (the config model's
 * `pipelines`); a wrong config fails the plugin's startup with the key path
 * and the reason.
 *
 * @public
 */
export const pipelinesServiceRef = createServiceRef<PipelineSet>({
  id: 'gitops.pipelines',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { gitopsConfig: gitopsConfigServiceRef },
      factory({ gitopsConfig }) {
        return gitopsConfig.pipelines;
      },
    }),
});
