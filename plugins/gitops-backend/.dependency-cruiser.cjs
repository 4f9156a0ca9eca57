// Layering of the GitOps backend (see README.md, "Map"). Run by `yarn lint`
// in this package (and by `npm test`'s lint step).
const NOT_TESTS = '(\\.test\\.ts$|/__testUtils__/|/testUtils/|/e2e/)';

/** Modules that do I/O: database, HTTP, files, processes, catalog, our clients. */
const IO = [
  'node_modules/(knex|express|express-promise-router|simple-git|@kubernetes/client-node|proper-lockfile)/',
  '^(node:)?(fs|fs/promises|http|https|net|child_process)$',
  'node_modules/@backstage/(plugin-catalog-node|catalog-client|backend-defaults)/',
  '^src/(store/DatabaseChangeStore|argocd/ArgoCd(Client|Transport)|helm/HelmReleaseReader|writeback/Git[A-Za-z]*|state/GitOpsStateService|cache/ReadCache|registry/RegistryClient)\\.ts$',
];

/** Routers: only the plugin wiring mounts them. */
const ROUTERS = '^src/(router\\.ts|.*/create[A-Za-z]*Router\\.ts|http/)';
/** Services: the write side, execution, policy, read side. */
const SERVICES = '^src/(changes|execution|policy|state)/';
/** Clients and stores. */
const CLIENTS = '^src/(store|argocd|helm|writeback|cache|registry)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'policy-and-windows-are-pure',
      severity: 'error',
      comment:
        'src/policy and src/windows hold pure rules (no knex, express, fetch clients, fs, catalog); collaborators come in as ports.',
      from: { path: '^src/(policy|windows)/', pathNot: NOT_TESTS },
      // imports used only as types (ports) are fine
      to: {
        path: IO,
        dependencyTypesNot: ['type-only', 'pre-compilation-only'],
      },
    },
    {
      name: 'execution-never-imports-changes',
      severity: 'error',
      comment:
        'Execution depends on the policy service and the store, never on the write side.',
      from: { path: '^src/execution/', pathNot: NOT_TESTS },
      to: { path: '^src/changes/' },
    },
    {
      name: 'clients-never-import-services-or-routers',
      severity: 'error',
      comment: 'routers -> services -> clients/stores, never back.',
      from: { path: CLIENTS, pathNot: NOT_TESTS },
      to: { path: [SERVICES, ROUTERS, '^src/plugin\\.ts$'] },
    },
    {
      name: 'services-never-import-routers',
      severity: 'error',
      comment: 'Only the wiring (plugin.ts, createChanges.ts) mounts routers.',
      from: {
        path: SERVICES,
        pathNot: `${NOT_TESTS}|/index\\.ts$|^src/changes/createChanges\\.ts$|Router\\.ts$`,
      },
      to: { path: ROUTERS },
    },
    {
      name: 'only-index-imports-plugin',
      severity: 'error',
      from: { path: '^src/', pathNot: `${NOT_TESTS}|^src/index\\.ts$` },
      to: { path: '^src/plugin\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: 'specify',
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.json'],
    },
  },
};
