/**
 * Seed apps with the Argo CD shapes that hid bugs in the backend (issue 12),
 * each as a real Argo CD 3.x returns it (sources in the README):
 * - `checkout-api-{staging,prod}`: pods with init containers and sidecars (a
 *   service mesh proxy, a log shipper), so `status.summary.images` holds images
 *   that are not the app's own - several with semver-looking tags;
 * - project `checkout`: a sync window with a `timeZone` (America/New_York);
 * - `storefront-web-prod`: a multi-source app (chart + values through a `ref`);
 * - `inventory-api-prod`: an Application in namespace `team-inventory`, not the
 *   control plane's (`appNamespace`, `/applications/<namespace>/<name>` links).
 * New apps only: the python-api-base and payments-worker apps the backend's
 * tests and browser tests use are unchanged.
 */
import type { SeedApp, SeedContainer, SeedProject } from '../seed';

const MESH_PROXY = 'example.org/mesh/proxyv2:1.24.2';
const LOG_SHIPPER = 'example.org/observability/fluent-bit:3.2.4';

/** An injected service mesh proxy and a log shipper, as regular containers. */
const SIDECARS: SeedContainer[] = [
  { name: 'istio-proxy', image: MESH_PROXY },
  { name: 'log-shipper', image: LOG_SHIPPER },
];
/** The mesh's init container (same image as its proxy) and a wait-for-database step. */
const INIT_CONTAINERS: SeedContainer[] = [
  { name: 'istio-init', image: MESH_PROXY },
  { name: 'wait-for-db', image: 'example.org/tools/busybox:1.36.1' },
];

const binding = (component: string) => ({
  entityRef: `component:default/${component}`,
  pipeline: 'standard',
});

function checkoutApp(env: string, commits: SeedApp['commits']): SeedApp {
  return {
    name: `checkout-api-${env}`,
    component: 'checkout-api',
    binding: binding('checkout-api'),
    env,
    project: 'checkout',
    namespace: `checkout-${env}`,
    imageRepository: 'example.org/shop/checkout-api',
    chartName: 'checkout-api',
    chartDescription: 'Checkout API with mesh and log sidecars',
    sidecars: SIDECARS,
    initContainers: INIT_CONTAINERS,
    commits,
  };
}

/** @public */
export const FIDELITY_PROJECTS: SeedProject[] = [
  {
    name: 'checkout',
    description: 'Checkout (windows in New York time; apps in team namespaces)',
    sourceNamespaces: ['team-inventory'],
    syncWindows: [
      {
        kind: 'allow',
        schedule: '0 9 * * 1-5',
        duration: '8h',
        timeZone: 'America/New_York',
        applications: ['*-prod'],
        manualSync: true,
      },
    ],
  },
];

/** @public */
export const FIDELITY_APPS: SeedApp[] = [
  checkoutApp('staging', [
    { tag: 'v2.4.0-rc.1', hoursAgo: 24 * 3, author: 'updater' },
    { tag: 'v2.4.0-rc.2', hoursAgo: 28, author: 'updater' },
  ]),
  checkoutApp('prod', [
    { tag: 'v2.3.0', hoursAgo: 24 * 10, author: 'carol' },
    { tag: 'v2.3.1', hoursAgo: 24 * 4, author: 'alice' },
  ]),
  {
    name: 'storefront-web-prod',
    component: 'storefront-web',
    binding: binding('storefront-web'),
    env: 'prod',
    project: 'checkout',
    namespace: 'storefront-prod',
    imageRepository: 'example.org/shop/storefront-web',
    chartName: 'storefront-web',
    chartDescription: 'Storefront web app, chart and values as two sources',
    multiSource: true,
    commits: [
      { tag: 'v5.0.0', hoursAgo: 24 * 9, author: 'bob' },
      { tag: 'v5.1.0', hoursAgo: 24 * 2, author: 'alice' },
    ],
  },
  {
    name: 'inventory-api-prod',
    component: 'inventory-api',
    binding: binding('inventory-api'),
    env: 'prod',
    project: 'checkout',
    namespace: 'inventory-prod',
    appNamespace: 'team-inventory',
    imageRepository: 'example.org/shop/inventory-api',
    chartName: 'inventory-api',
    chartDescription: 'Inventory API, Application in a team namespace',
    commits: [
      { tag: 'v0.9.0', hoursAgo: 24 * 15, author: 'bob' },
      { tag: 'v1.0.0', hoursAgo: 24 * 5, author: 'carol' },
    ],
  },
];
