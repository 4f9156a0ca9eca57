import type { Entity } from '@backstage/catalog-model';
import type {
  ChangePreview,
  ChangeRequest,
  ChangeRequestDetail,
  EntityGitOpsState,
  EnvironmentDiff,
  EnvironmentHistory,
  EnvironmentState,
} from '@internal/plugin-gitops-common';

export const BASE = 'http://example.com/api/gitops';
export const ENTITY_REF = 'component:default/python-api-base';
export const ENV_PATH = `${BASE}/entities/component/default/python-api-base/environments`;
export const OVERVIEW_PATH = `${BASE}/entities/component/default/python-api-base/overview`;

export const entity: Entity = {
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

export const unconfiguredEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'docs-site', namespace: 'default' },
  spec: {
    type: 'website',
    owner: 'group:default/team-a',
    lifecycle: 'experimental',
  },
};

function env(
  partial: Partial<EnvironmentState> & { name: string; order: number },
): EnvironmentState {
  return {
    images: [],
    conditions: [],
    unhealthyResources: 0,
    application: {
      name: `python-api-base-${partial.name}`,
      instance: 'local',
      autoSync: partial.name !== 'prod',
      url: `http://localhost:7080/applications/argocd/python-api-base-${partial.name}`,
    },
    ...partial,
  };
}

export function makeState(
  overrides: Partial<
    Record<'dev' | 'staging' | 'prod', Partial<EnvironmentState>>
  > = {},
): EntityGitOpsState {
  return {
    entityRef: ENTITY_REF,
    pipeline: 'standard',
    environments: [
      env({
        name: 'prod',
        order: 2,
        promotesFrom: 'staging',
        syncStatus: 'Synced',
        health: { status: 'Healthy' },
        version: 'v1.1.0',
        revision: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
        lastDeployedAt: '2026-11-20T10:00:00Z',
        lastDeployedBy: 'user:default/bob',
        window: {
          open: true,
          openUntil: '2026-11-27T18:00:00Z',
          message: 'inside the window until 18:00 UTC',
        },
        ...overrides.prod,
      }),
      env({
        name: 'dev',
        order: 0,
        syncStatus: 'Synced',
        health: { status: 'Healthy' },
        version: 'v1.2.0-dev.3',
        lastDeployedAt: '2026-11-27T09:00:00Z',
        lastDeployedBy: 'automated',
        ...overrides.dev,
      }),
      env({
        name: 'staging',
        order: 1,
        promotesFrom: 'dev',
        syncStatus: 'Synced',
        health: { status: 'Healthy' },
        version: 'v1.2.0-rc.1',
        lastDeployedAt: '2026-11-26T12:00:00Z',
        lastDeployedBy: 'user:default/alice',
        ...overrides.staging,
      }),
    ],
  };
}

export function makeChange(
  partial: Partial<ChangeRequest> = {},
): ChangeRequest {
  return {
    id: 'chg-1',
    entityRef: ENTITY_REF,
    environment: 'prod',
    kind: 'promote',
    state: 'awaiting_approval',
    version: 'v1.2.0',
    fromVersion: 'v1.1.0',
    sourceEnvironment: 'staging',
    requestedBy: 'user:default/alice',
    reason: 'release 1.2',
    override: false,
    createdAt: '2026-11-27T10:00:00Z',
    updatedAt: '2026-11-27T10:00:00Z',
    checks: [
      {
        id: 'tag-pattern',
        status: 'pass',
        message: 'v1.2.0 matches the prod tag pattern',
      },
      {
        id: 'approvals',
        status: 'pending',
        message: 'needs 1 approval from platform-team',
      },
    ],
    approvals: [],
    requiredApprovals: 1,
    ...partial,
  };
}

export function makeDetail(
  partial: Partial<ChangeRequestDetail> = {},
): ChangeRequestDetail {
  return {
    ...makeChange(partial),
    events: [
      {
        id: 1,
        changeId: partial.id ?? 'chg-1',
        type: 'created',
        actor: 'user:default/alice',
        at: '2026-11-27T10:00:00Z',
      },
    ],
    ...partial,
  };
}

export const preview: ChangePreview = {
  allowed: true,
  requiredApprovals: 0,
  fromVersion: 'v1.2.0-rc.1',
  version: 'v1.2.0-dev.3',
  checks: [
    {
      id: 'tag-pattern',
      status: 'pass',
      message: 'v1.2.0-dev.3 matches the staging tag pattern',
    },
    {
      id: 'source-healthy',
      status: 'pass',
      message: 'dev runs v1.2.0-dev.3 healthy',
    },
  ],
};

export const blockedPreview: ChangePreview = {
  allowed: false,
  requiredApprovals: 1,
  checks: [
    {
      id: 'tag-pattern',
      status: 'fail',
      message: 'latest is a mutable tag and is never allowed in prod',
    },
  ],
};

export const history: EnvironmentHistory = {
  items: [
    {
      source: 'argocd',
      id: '3',
      revision: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
      version: 'v1.1.0',
      deployedAt: '2026-11-20T10:00:00Z',
      initiatedBy: 'bob',
      commit: {
        sha: 'a1b2c3d',
        message: 'prod: python-api-base v1.1.0',
        author: 'gitops-bot',
      },
      url: 'http://localhost:7080/applications/argocd/python-api-base-prod?rollback=3',
    },
    {
      source: 'argocd',
      id: '2',
      revision: 'b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3',
      version: 'v1.0.0',
      deployedAt: '2026-11-10T10:00:00Z',
      commit: { sha: 'b2c3d4e', message: 'prod: python-api-base v1.0.0' },
    },
    {
      source: 'helm',
      id: '5',
      deployedAt: '2026-11-15T08:00:00Z',
      helm: {
        release: 'python-api-base-migrations',
        namespace: 'shop',
        chart: 'migrations',
        chartVersion: '0.3.0',
        status: 'deployed',
        description: 'Upgrade complete',
      },
    },
  ],
  errors: [],
};

export const diff: EnvironmentDiff = {
  items: [
    {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'python-api-base',
      modified: true,
      change: 'update',
      diff: '--- live\n+++ target\n@@ -1,3 +1,3 @@\n spec:\n-  image: python-api-base:v1.1.0\n+  image: python-api-base:v1.2.0\n',
    },
    {
      kind: 'Service',
      name: 'python-api-base',
      modified: false,
      change: 'none',
      diff: '',
    },
  ],
};
