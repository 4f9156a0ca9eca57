/**
 * Seed data matching the example catalog (examples/entities.yaml).
 * `local`: project shop + python-api-base-{dev,staging,prod} + a Helm CLI release.
 * `secondary`: project payments + payments-worker-{dev,prod}.
 */
import type { SyncWindow } from './logic/windows';

/** One seeded Argo CD application. @public */
export interface SeedApp {
  name: string;
  component: string;
  /**
   * The GitOps plugin's binding, set on the Application (as its owners would
   * in the GitOps repository): which catalog entity may steer it and under
   * which pipeline (`gitops.backstage.io/entity-ref`, `gitops.backstage.io/pipeline`).
   */
  binding: { entityRef: string; pipeline: string };
  env: string;
  project: string;
  namespace: string;
  imageRepository: string;
  chartName: string;
  chartDescription: string;
  automated?: { prune: boolean; selfHeal: boolean };
  /** Pod containers besides the app's own (service mesh proxy, log shipper), in values `sidecars`. */
  sidecars?: SeedContainer[];
  /** Init containers (values `initContainers`; `restartPolicy: Always` = a native sidecar). */
  initContainers?: SeedContainer[];
  /** The Application's own namespace when it is not the control plane's ("apps in any namespace"). */
  appNamespace?: string;
  /** Chart and values as two sources (`spec.sources`, values through a `ref`). */
  multiSource?: boolean;
  /** Image tags committed in order (the last one is desired and deployed), with age in hours. */
  commits: {
    tag: string;
    hoursAgo: number;
    author: 'updater' | 'alice' | 'bob' | 'carol';
  }[];
}

/** A container of a seeded pod besides the app's own. @public */
export interface SeedContainer {
  name: string;
  image: string;
  restartPolicy?: 'Always';
}

/** A seeded AppProject. @public */
export interface SeedProject {
  name: string;
  description: string;
  syncWindows: SyncWindow[];
  /** Namespaces other than the control plane's whose Applications may use the project. */
  sourceNamespaces?: string[];
}

/** A Helm CLI release revision. @public */
export interface SeedHelmRevision {
  tag: string;
  status: 'superseded' | 'deployed' | 'failed';
  description: string;
  hoursAgo: number;
}

/** A release installed with the Helm CLI. @public */
export interface SeedHelmRelease {
  name: string;
  namespace: string;
  chartName: string;
  chartVersion: string;
  imageRepository: string;
  revisions: SeedHelmRevision[];
}

/** A full seed set. @public */
export interface SeedSet {
  projects: SeedProject[];
  apps: SeedApp[];
  helmReleases: SeedHelmRelease[];
}

import { FIDELITY_APPS, FIDELITY_PROJECTS } from './seeding/fidelityApps';

const SHOP_IMAGE = 'example.org/shop/python-api-base';
const PAYMENTS_IMAGE = 'example.org/shop/payments-worker';

function pythonApp(
  env: string,
  automated: SeedApp['automated'],
  commits: SeedApp['commits'],
): SeedApp {
  return {
    name: `python-api-base-${env}`,
    component: 'python-api-base',
    binding: {
      entityRef: 'component:default/python-api-base',
      pipeline: 'standard',
    },
    env,
    project: 'shop',
    namespace: `shop-${env}`,
    imageRepository: SHOP_IMAGE,
    chartName: 'python-api-base',
    chartDescription: 'Python API service',
    automated,
    commits,
  };
}

function paymentsApp(
  env: string,
  automated: SeedApp['automated'],
  commits: SeedApp['commits'],
): SeedApp {
  return {
    name: `payments-worker-${env}`,
    component: 'payments-worker',
    binding: {
      entityRef: 'component:default/payments-worker',
      pipeline: 'fast-track',
    },
    env,
    project: 'payments',
    namespace: `payments-${env}`,
    imageRepository: PAYMENTS_IMAGE,
    chartName: 'payments-worker',
    chartDescription: 'Background worker for payments',
    automated,
    commits,
  };
}

/** Seed sets by instance name. @public */
export const SEEDS: Record<'local' | 'secondary' | 'none', SeedSet> = {
  local: {
    projects: [
      {
        name: 'shop',
        description: 'The shop system (python-api-base)',
        syncWindows: [
          {
            kind: 'allow',
            schedule: '0 6 * * 1-5',
            duration: '12h',
            timeZone: 'UTC',
            applications: ['*-prod'],
            manualSync: true,
          },
        ],
      },
      ...FIDELITY_PROJECTS,
    ],
    apps: [
      pythonApp('dev', { prune: true, selfHeal: true }, [
        { tag: 'v1.1.4-dev.2', hoursAgo: 24 * 9, author: 'updater' },
        { tag: 'v1.2.0-dev.1', hoursAgo: 24 * 4, author: 'updater' },
        { tag: 'v1.2.0-dev.2', hoursAgo: 24 * 2, author: 'updater' },
        { tag: 'v1.2.0-dev.3', hoursAgo: 30, author: 'updater' },
      ]),
      pythonApp('staging', { prune: true, selfHeal: false }, [
        { tag: 'v1.1.4-rc.1', hoursAgo: 24 * 8, author: 'updater' },
        { tag: 'v1.1.4-rc.2', hoursAgo: 24 * 7, author: 'updater' },
        { tag: 'v1.2.0-rc.1', hoursAgo: 26, author: 'updater' },
      ]),
      pythonApp('prod', undefined, [
        { tag: 'v1.1.2', hoursAgo: 24 * 21, author: 'bob' },
        { tag: 'v1.1.3', hoursAgo: 24 * 14, author: 'alice' },
        { tag: 'v1.1.4', hoursAgo: 24 * 6, author: 'alice' },
      ]),
      ...FIDELITY_APPS,
    ],
    helmReleases: [
      {
        name: 'python-api-base-migrations',
        namespace: 'shop',
        chartName: 'python-api-base-migrations',
        chartVersion: '0.3.1',
        imageRepository: SHOP_IMAGE,
        revisions: [
          {
            tag: 'v1.1.2',
            status: 'superseded',
            description: 'Install complete',
            hoursAgo: 24 * 21,
          },
          {
            tag: 'v1.1.3',
            status: 'superseded',
            description: 'Upgrade complete',
            hoursAgo: 24 * 14,
          },
          {
            tag: 'v1.1.4',
            status: 'deployed',
            description: 'Upgrade complete',
            hoursAgo: 24 * 6,
          },
        ],
      },
    ],
  },
  secondary: {
    projects: [
      {
        name: 'payments',
        description: 'Payments (fast-track pipeline)',
        syncWindows: [],
      },
    ],
    apps: [
      paymentsApp('dev', { prune: true, selfHeal: true }, [
        { tag: 'v2.3.0-dev.1', hoursAgo: 24 * 3, author: 'updater' },
        { tag: 'v2.3.0-dev.2', hoursAgo: 20, author: 'updater' },
      ]),
      paymentsApp('prod', undefined, [
        { tag: 'v2.2.0', hoursAgo: 24 * 12, author: 'bob' },
        { tag: 'v2.2.1', hoursAgo: 24 * 5, author: 'carol' },
      ]),
    ],
    helmReleases: [],
  },
  none: { projects: [], apps: [], helmReleases: [] },
};

/** Git authors used by seed commits. @public */
export const SEED_AUTHORS: Record<string, { name: string; email: string }> = {
  updater: { name: 'argocd-image-updater', email: 'image-updater@example.org' },
  alice: { name: 'Alice', email: 'alice@example.org' },
  bob: { name: 'Bob', email: 'bob@example.org' },
  carol: { name: 'Carol', email: 'carol@example.org' },
};

/** values.yaml of an app, with comments, for a given tag. @public */
export function valuesYaml(app: SeedApp, tag: string): string {
  return `# Helm values for ${app.component} in ${app.env}.
# The image tag below is written by the image updater (dev/staging) or by an
# approved promotion (prod); keep the comments - tooling edits only the tag.
replicaCount: ${app.env === 'prod' ? 3 : 1}

image:
  # Built by CI for every git tag of ${app.component}.
  repository: ${app.imageRepository}
  # Desired version for ${app.env}.
  tag: ${tag}
  pullPolicy: IfNotPresent

service:
  type: ClusterIP
  port: 80

env:
  - name: APP_ENV
    value: ${app.env}
${smokeTestYaml(app)}${containersYaml(
    'sidecars',
    app.sidecars,
  )}${containersYaml('initContainers', app.initContainers)}`;
}

/** Staging runs a PostSync smoke-test Job after each sync (QA's automated verification). */
function smokeTestYaml(app: SeedApp): string {
  if (app.env !== 'staging') return '';
  return `
# A PostSync hook: Argo CD runs the smoke test after every sync.
smokeTest:
  enabled: true
`;
}

/** A values list of extra containers (nothing when there are none). */
function containersYaml(key: string, list: SeedContainer[] | undefined) {
  if (!list?.length) return '';
  const items = list
    .map(
      c =>
        `  - name: ${c.name}\n    image: ${c.image}\n${
          c.restartPolicy ? `    restartPolicy: ${c.restartPolicy}\n` : ''
        }`,
    )
    .join('');
  return `\n# Added by the platform (not the app's own image).\n${key}:\n${items}`;
}

/** Replaces only the `image.tag` value in a values.yaml, keeping everything else. @public */
export function replaceTag(text: string, tag: string): string {
  return text.replace(
    /^(\s+tag:\s*)(\S+)(.*)$/m,
    (_m, a, _b, c) => `${a}${tag}${c}`,
  );
}

/** Chart.yaml of an app. @public */
export function chartYaml(app: SeedApp): string {
  return `apiVersion: v2
name: ${app.chartName}
description: ${app.chartDescription}
type: application
# Chart version (the emulator renders a Deployment and a Service from values.yaml).
version: 0.4.0
`;
}

/** Git commit message for a tag change. @public */
export function commitMessage(
  app: SeedApp,
  from: string | undefined,
  to: string,
): string {
  if (!from)
    return `feat(${app.name}): add ${app.component} to ${app.env} at ${to}`;
  return `build: automatic update of ${app.name}\n\nupdates image ${app.imageRepository} tag '${from}' to '${to}'`;
}
