import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readGitopsConfig } from './readGitopsConfig';
import { GitopsConfig } from './types';

/**
 * The plugin's config model, read once per plugin from the root config. A
 * wrong config fails the plugin's startup naming every problem.
 *
 * @internal
 */
export const gitopsConfigServiceRef = createServiceRef<GitopsConfig>({
  id: 'gitops.config',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory({ config }) {
        return readGitopsConfig(config);
      },
    }),
});
