import { ScmIntegrations } from '@backstage/integration';
/*
 * A real Backstage backend process (backend-defaults: config, database,
 * scheduler, lifecycle, auth…) running the change execution of the GitOps
 * plugin against PostgreSQL. Started twice by twoProcesses.test.ts.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs backendProcess.ts --config <file>
 *
 * The catalog is a fixed in-memory one (python-api-base).
 * - GITOPS_E2E_MODE=plugin: the real gitops plugin (routes, ChangeService
 *   re-check with the policy from config, execution, scheduler, kick on approval).
 * - otherwise: only the execution, with a re-check that allows everything, and
 *   a tight claim loop besides the scheduled task, so the two processes
 *   really race for each change.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { argoCdClientServiceRef } from '../../../argocd/argoCdClientServiceRef';
import { DatabaseChangeStore } from '../../../store/DatabaseChangeStore';
import { gitopsConfigServiceRef } from '../../../config/gitopsConfigServiceRef';
import { createChangeExecution } from '../../createChangeExecution';
import { gitopsPlugin } from '../../../plugin';
// The repository backend's own start (startup lock, exit on failure), so that
// two of these processes started together behave like two replicas.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { startBackend } from '../../../../../../packages/backend/src/startup';

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'python-api-base',
    namespace: 'default',
    annotations: {
      'gitops/app': 'python-api-base',
      'gitops/pipeline': 'standard',
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
};

const catalog = createServiceFactory({
  service: catalogServiceRef,
  deps: {},
  factory: () =>
    ({
      async getEntityByRef(ref: unknown) {
        return String(ref) === 'component:default/python-api-base'
          ? ENTITY
          : undefined;
      },
    } as unknown as CatalogService),
});

const execution = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        database: coreServices.database,
        catalog: catalogServiceRef,
        argo: argoCdClientServiceRef,
        gitopsConfig: gitopsConfigServiceRef,
      },
      async init(d) {
        const store = await DatabaseChangeStore.create({
          database: d.database,
        });
        const { runner } = await createChangeExecution({
          ...d,
          integrations: ScmIntegrations.fromConfig(d.config),
          store,
          policy: { recheck: async () => ({ outcome: 'allow', checks: [] }) },
        });
        {
          let stopped = false;
          d.lifecycle.addShutdownHook(() => {
            stopped = true;
          });
          (async () => {
            while (!stopped) {
              await runner
                .tick()
                .catch(e => d.logger.warn(`tick failed: ${e}`));
              await new Promise(r => setTimeout(r, 50));
            }
          })();
        }
        d.lifecycle.addStartupHook(() => {
          process.stdout.write(`GITOPS-EXECUTION-READY ${runner.owner}\n`);
        });
      },
    });
  },
});

/** Announces readiness with the execution owner id (read back from the plugin's first claim otherwise). */
const ready = createBackendPlugin({
  pluginId: 'gitops-e2e-ready',
  register(env) {
    env.registerInit({
      deps: { lifecycle: coreServices.lifecycle },
      async init({ lifecycle }) {
        lifecycle.addStartupHook(() => {
          process.stdout.write(`GITOPS-EXECUTION-READY pid:${process.pid}\n`);
        });
      },
    });
  },
});

const backend = createBackend();
backend.add(catalog);
if (process.env.GITOPS_E2E_MODE === 'plugin') {
  backend.add(gitopsPlugin);
  backend.add(ready);
} else {
  backend.add(execution);
}
startBackend(backend);
