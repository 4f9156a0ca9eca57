import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { argoCdClientServiceRef } from './argocd/argoCdClientServiceRef';
import { ScmIntegrations } from '@backstage/integration';
import { createChanges } from './changes/createChanges';
import { gitopsConfigServiceRef } from './config/gitopsConfigServiceRef';
import { createChangeExecution } from './execution/createChangeExecution';
import { createRouter } from './router';
import { gitopsStateServiceRef } from './state/gitopsStateServiceRef';
import { createTroubleshooting } from './troubleshooting/createTroubleshooting';

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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        httpRouter: coreServices.httpRouter,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        state: gitopsStateServiceRef,
        gitopsConfig: gitopsConfigServiceRef,
        client: argoCdClientServiceRef,
      },
      async init(deps) {
        const { httpAuth, httpRouter, catalog, state } = deps;
        // Write side: policy (validated at startup), store, permissions, routes.
        const changes = await createChanges(deps);
        // Execution of approved changes (re-checks the policy through `changes.service`).
        const execution = await createChangeExecution({
          ...deps,
          argo: deps.client,
          integrations: ScmIntegrations.fromConfig(deps.config),
          store: changes.store,
          policy: changes.service,
        });
        changes.service.setOnApproved(id => {
          execution.runner
            .kick(id)
            .catch(e =>
              deps.logger.warn(
                `could not start change ${id} now; the scheduler picks it up: ${e}`,
              ),
            );
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            catalog,
            state,
            changes: changes.router,
            troubleshooting: createTroubleshooting(deps).router,
          }),
        );
      },
    });
  },
});
