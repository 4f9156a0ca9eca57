import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createRouter } from './router';
import { gitopsStateServiceRef } from './state/gitopsStateServiceRef';

/**
 * The GitOps backend plugin.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        state: gitopsStateServiceRef,
      },
      async init({ httpAuth, httpRouter, catalog, state }) {
        httpRouter.use(await createRouter({ httpAuth, catalog, state }));
      },
    });
  },
});
