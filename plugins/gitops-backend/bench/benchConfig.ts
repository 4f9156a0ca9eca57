/**
 * The benchmark's sides: the catalog (one Component per generated entity,
 * annotated for both plugins) and the backend config of each configuration.
 *   mirror    ours, gitops.mirror.enabled (reads from the watch-stream mirror),
 *             the tab's overview kept per entity (gitops.cache.overviewTtl default)
 *   uncached  ours, mirror on, overview built on every request (overviewTtl 0s)
 *   proxy     ours, mirror off, cache TTL 0, overviewTtl 0s (every read goes to Argo CD)
 *   community @backstage-community/plugin-argocd-backend as its README
 *             configures it (argocd.appLocatorMethods, type config, a token)
 */
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { mockCredentials } from '@backstage/backend-test-utils';

export type Side = 'mirror' | 'uncached' | 'proxy' | 'community';

/** The signed-in user every viewer is (the backends run the mock auth services, see backendProcess.ts). */
export const BENCH_USER = 'user:default/bench-viewer';

/** Headers of requests made as one user (a user token of the mock auth services). */
export const authHeaders = {
  authorization: mockCredentials.user.header(BENCH_USER),
};

/** Headers of viewer `v`'s page requests: every viewer is a user of its own. */
export function viewerHeaders(v: number): Record<string, string> {
  return {
    authorization: mockCredentials.user.header(`${BENCH_USER}-${v}`),
  };
}

/** Component name of generated entity `i` (the emulator's scale seed). */
export const component = (i: number) => `scale-${String(i).padStart(4, '0')}`;

/** Environments of entity `i` for `apps` apps over `entities` entities (the seed's layout). */
export function environmentsOf(
  i: number,
  apps: number,
  entities: number,
): string[] {
  const n = Math.floor(apps / entities) + (i < apps % entities ? 1 : 0);
  return [['prod'], ['dev', 'prod'], ['dev', 'staging', 'prod']][n - 1];
}

const PIPELINES = ['scale-single', 'scale-fast-track', 'scale-standard'];

export function catalogEntities(apps: number, entities: number): Entity[] {
  return Array.from({ length: entities }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: component(i),
      namespace: 'default',
      annotations: {
        // ours
        'gitops/app': component(i),
        'gitops/pipeline':
          PIPELINES[environmentsOf(i, apps, entities).length - 1],
        // the community plugin's
        'argocd/app-selector': `app.kubernetes.io/part-of=${component(i)}`,
        'argocd/instance-name': 'local',
      },
    },
    spec: {
      type: 'service',
      owner: `group:default/team-${String(i % 10).padStart(2, '0')}`,
      system: `system-${i % 25}`,
      lifecycle: 'production',
    },
  }));
}

export function backendConfig(
  side: Side,
  o: { port: number; emulatorUrl: string; token: string },
): JsonObject {
  const base = `http://localhost:${o.port}`;
  const common = {
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      baseUrl: base,
      listen: { port: o.port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
    },
  };
  if (side === 'community') {
    return {
      ...common,
      argocd: {
        appLocatorMethods: [
          {
            type: 'config',
            instances: [{ name: 'local', url: o.emulatorUrl, token: o.token }],
          },
        ],
      },
    };
  }
  const pipeline = (envs: string[]) => ({
    applicationName: '{app}-{env}',
    environments: envs.map((name, k) => ({
      name,
      instance: 'local',
      ...(k > 0 ? { promotesFrom: envs[k - 1] } : {}),
    })),
  });
  return {
    ...common,
    gitops: {
      argocd: {
        instances: [
          { name: 'local', url: o.emulatorUrl, token: o.token, timeout: '10s' },
        ],
      },
      cache: {
        ttl: side === 'proxy' ? '0s' : '5s',
        ...(side === 'mirror' ? {} : { overviewTtl: '0s' }),
      },
      mirror: { enabled: side !== 'proxy' },
      defaultPipeline: 'scale-standard',
      pipelines: {
        'scale-single': pipeline(['prod']),
        'scale-fast-track': pipeline(['dev', 'prod']),
        'scale-standard': pipeline(['dev', 'staging', 'prod']),
      },
    },
  };
}
