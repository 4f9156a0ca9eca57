import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { gitopsPermissions } from '@internal/plugin-gitops-common';
import {
  createEntityLoader,
  createEnvironmentStateReader,
} from './adapters/stateReader';
import { createActions } from './actions/createActions';
import { argoCdClientServiceRef } from './argocd/argoCdClientServiceRef';
import { deploymentServiceRef } from './deployments/deploymentServiceRef';
import { AuditedChanges } from './changes/AuditedChanges';
import { EntityAccess } from './changes/EntityAccess';
import { EntityPermissions } from './changes/EntityPermissions';
import { createChanges, createChangesRouter } from './changes/createChanges';
import { gitopsConfigServiceRef } from './config/gitopsConfigServiceRef';
import { environmentKey } from './config/readExecution';
import { createChangeExecution } from './execution/createChangeExecution';
import { PolicyService } from './policy';
import { createRouter } from './router';
import {
  NotifyingChangeStore,
  changeNotificationSources,
  createNotifications,
} from './notifications';
import { createSignals } from './signals';
import { gitopsStateServiceRef } from './state/gitopsStateServiceRef';
import { DatabaseChangeStore } from './store/DatabaseChangeStore';
import { createTroubleshooting } from './troubleshooting/createTroubleshooting';
import { createVerification } from './verification/createVerification';
import { createFleet, createFleetReadSide } from './fleet';
import { applicationMirrorsServiceRef } from './mirror/applicationMirrorsServiceRef';
import { createMirrorRouter } from './mirror/createMirrorRouter';
import { createImages } from './images/createImages';
import { cachedEntityReads } from './state/CachedEntityReads';
import { OverviewService, ViewStamps, createOverviewRouter } from './overview';

/**
 * The GitOps backend plugin. Wiring only: config model → store → policy →
 * execution → write side → routes. A wrong config makes the init throw (the
 * backend does not start).
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
        mirrors: applicationMirrorsServiceRef,
        deployments: deploymentServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { logger, auditor, catalog, state, client } = deps;
        // The read routes' catalog: a caller's entity read reused for gitops.cache.entityTtl (writes use `catalog`).
        const readCatalog = cachedEntityReads(
          catalog,
          deps.gitopsConfig.entityTtlMs,
        );
        deps.permissionsRegistry.addPermissions(gitopsPermissions);
        const changeStore = await DatabaseChangeStore.create({
          database: deps.database,
        });
        // Every transition the store makes (conditional update won) is notified once.
        const notifications = await createNotifications({
          ...deps,
          sources: changeNotificationSources(
            changeStore,
            deps.gitopsConfig.policies,
          ),
        });
        // Live updates: every committed change movement is signalled to open tabs.
        // Versions of what the tab's overview shows (moved by the same events as the signals).
        const stamps = new ViewStamps();
        const liveUpdates = createSignals({ ...deps, views: stamps });
        // Environment changes from the application mirrors' watch events.
        liveUpdates.attach(deps.mirrors);
        const store = new NotifyingChangeStore(
          liveUpdates.wrapStore(changeStore),
          notifications.onTransition,
        );
        const entities = createEntityLoader(catalog);
        const permissions = EntityPermissions.create(deps.permissions);
        // Visibility + permissions, shared by the write side and verification.
        const access = EntityAccess.create({ store, entities, permissions });
        const reader = createEnvironmentStateReader({
          state,
          client,
          deployments: deps.deployments,
        });
        // Sign-off and automated verification; the entity as the caller sees it (EntityAccess).
        const verification = await createVerification({
          ...deps,
          policies: deps.gitopsConfig.policies,
          reader,
          argo: client,
          entity: (ref, credentials) => access.entity(ref, credentials),
          logger: logger.child({ component: 'gitops-verification' }),
          onDecided: ref => stamps.entityChanged(ref),
        });
        // Image tags and digests from the registries (policy image checks, dialog, cards).
        const images = createImages({
          ...deps,
          catalog: readCatalog,
          reader,
          logger: logger.child({ component: 'gitops-images' }),
          // the dialog's "verified": versions whose sign-off stands
          verifiedVersions: (e, environment) =>
            verification.service.verifiedVersions(e, environment),
        });
        const policy = PolicyService.create({
          policies: deps.gitopsConfig.policies,
          reader: {
            ...reader,
            ...images.facts,
            getVerificationFacts: (entity, environment) =>
              verification.service.facts(entity, environment),
          },
          entities,
          serviceCredentials: () => deps.auth.getOwnServiceCredentials(),
          logger: logger.child({ component: 'gitops-policy' }),
        });
        const { runner } = await createChangeExecution({
          ...deps,
          argo: client,
          integrations: ScmIntegrations.fromConfig(deps.config),
          store,
          policy,
        });
        const changes = createChanges({
          store,
          policy,
          entities,
          permissions,
          access,
          logger: logger.child({ component: 'gitops-changes' }),
          auditor,
          writeBackOf: (pipeline, environment) =>
            deps.gitopsConfig.environments.get(
              environmentKey(pipeline, environment),
            )?.writeBack,
          onApproved: id =>
            runner
              .kick(id)
              .then(() => undefined)
              .catch(e =>
                logger.warn(
                  `could not start change ${id} now; the scheduler picks it up: ${e}`,
                ),
              ),
        });
        await changes.expiry.schedule(deps.scheduler);
        // Actions registry (MCP): the same audited write side as the routes.
        createActions({
          ...deps,
          changes: new AuditedChanges({
            changes: changes.service,
            queries: changes.queries,
            auditor,
          }),
        });
        // The tab's overview: one request for what it shows when it opens.
        const overview = new OverviewService({
          sources: {
            state,
            changes: changeStore,
            visible: (items, credentials) => access.visible(items, credentials),
            verification: (entity, environment, claims, current) =>
              verification.service.view(entity, environment, claims, current),
            digests: (entity, environment, current) =>
              images.service.digests(entity, environment, current),
          },
          stamps,
          ttlMs: deps.gitopsConfig.overviewTtlMs,
          logger: logger.child({ component: 'gitops-overview' }),
        });
        deps.httpRouter.use(
          createMirrorRouter({
            httpAuth: deps.httpAuth,
            mirrors: deps.mirrors,
          }),
        );
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            catalog: readCatalog,
            state,
            changes: createChangesRouter(changes, deps),
            overview: createOverviewRouter({
              httpAuth: deps.httpAuth,
              userInfo: deps.userInfo,
              catalog: readCatalog,
              overview,
            }),
            troubleshooting: createTroubleshooting({
              ...deps,
              catalog: readCatalog,
            }).router,
            verification: verification.router,
            images: images.router,
            fleet: createFleet({
              httpAuth: deps.httpAuth,
              catalog,
              // the tab's read side without Argo CD window reads (the fleet evaluates policy windows)
              state: createFleetReadSide({
                client,
                pipelines: deps.gitopsConfig.pipelines,
                bindings: deps.gitopsConfig.bindings,
                deployments: deps.deployments,
                mirrors: deps.mirrors,
                logger,
              }),
              changes: changeStore,
              policies: deps.gitopsConfig.policies,
            }).router,
          }),
        );
      },
    });
  },
});
