/* Test harness for the change routes: real store and service, fake read side. */
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  EnvironmentState,
  HistoryEntry,
  VerificationDecision,
} from '@internal/plugin-gitops-common';
import type { VerificationFacts } from '../../policy/verificationFacts';
import express from 'express';
import { Knex } from 'knex';
import { readGitopsConfig } from '../../config';
import { jsonBody } from '../../http/jsonBody';
import { PolicyService, PolicySet, RecheckResult } from '../../policy';
import { loadExampleAppConfig } from '../../__testUtils__/appConfig';
import { sameCoreImageFacts } from '../../registry/__testUtils__/sameCoreImageFacts';
import { ChangeService } from '../ChangeService';
import { ChangeExpiry } from '../ChangeExpiry';
import { ChangeQueries } from '../ChangeQueries';
import { createChanges, createChangesRouter } from '../createChanges';
import { DatabaseChangeStore } from '../../store/DatabaseChangeStore';
import {
  ChangePermissions,
  EntityLoader,
  EnvironmentStateReader,
} from '../ports';

export const ENTITY_REF = 'component:default/python-api-base';

/** Group membership of the example users (+ 20 extra platform approvers). */
export const MEMBERS: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-a'],
  'user:default/bob': ['group:default/platform-team'],
  'user:default/carol': ['group:default/platform-team'],
  'user:default/dave': ['group:default/sre'],
  ...Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [
      `user:default/approver${i}`,
      ['group:default/platform-team'],
    ]),
  ),
};

export const auth = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

function envState(
  name: string,
  order: number,
  over: Partial<EnvironmentState> = {},
): EnvironmentState {
  return {
    name,
    order,
    images: [],
    conditions: [],
    unhealthyResources: 0,
    health: { status: 'Healthy' },
    syncStatus: 'Synced',
    application: {
      name: `python-api-base-${name}`,
      instance: 'local',
      autoSync: name !== 'prod',
    },
    ...over,
  };
}

/** A fake of the read side with mutable state. */
export class FakeReader implements EnvironmentStateReader {
  environments: EnvironmentState[] = [
    envState('dev', 0, { version: 'v1.3.0-dev.4' }),
    envState('staging', 1, {
      promotesFrom: 'dev',
      version: 'v1.2.0-rc.2',
      lastDeployedAt: '2026-11-23T10:00:00Z',
    }),
    envState('prod', 2, { promotesFrom: 'staging', version: 'v1.1.0' }),
  ];
  history: Record<string, HistoryEntry[]> = {
    prod: [
      {
        source: 'argocd',
        id: '4',
        version: 'v1.0.0',
        revision: 'aaa',
        deployedAt: '2026-11-01T10:00:00Z',
      },
      {
        source: 'argocd',
        id: '5',
        version: 'v1.1.0',
        revision: 'bbb',
        deployedAt: '2026-11-10T10:00:00Z',
      },
    ],
  };
  calls = 0;

  /** The registry (the example's prod requires the same digest): every tag exists, one digest per X.Y.Z. */
  getImageFacts = sameCoreImageFacts();

  async getEnvironments(entity: Entity) {
    this.calls++;
    return {
      entityRef: stringifyEntityRef(entity),
      pipeline: 'standard',
      environments: structuredClone(this.environments),
    };
  }

  async getHistory(_entity: Entity, environment: string) {
    return { items: this.history[environment] ?? [], errors: [] };
  }

  /** Sign-off decisions by environment; default: erin (QA) verified what staging runs. */
  decisions: Record<string, VerificationDecision[] | undefined> = {};

  /** The example requires staging's rc verified (sign-off and PostSync hook) for prod. */
  async getVerificationFacts(
    _entity: Entity,
    environment: string,
  ): Promise<VerificationFacts> {
    const env = this.environments.find(e => e.name === environment);
    const running = env?.version;
    return {
      environment,
      running,
      runningRevisions: ['c0ffee'],
      health: env?.health?.status,
      healthySince: '2026-11-23T10:00:00Z',
      lastSync: {
        phase: 'Succeeded',
        revisions: ['c0ffee'],
        postSyncHooks: [
          { kind: 'Job', name: 'smoke-test', phase: 'Succeeded' },
        ],
      },
      decisions: this.decisions[environment] ?? [
        {
          id: 'qa-1',
          version: running ?? '',
          decision: 'verified',
          decidedBy: 'user:default/erin',
          decidedAt: '2026-11-23T12:00:00Z',
          round: 0,
        },
      ],
    };
  }
}

const FIELDS = {
  create: 'entityRef',
  approve: 'approver',
  override: 'override',
};

/** Permissions: everything allowed except what a test denies. */
export class FakePermissions implements ChangePermissions {
  denied = new Set<string>();
  async require(
    action: 'create' | 'approve' | 'override',
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    if (
      this.denied.has(`${user}:${action}`) ||
      this.denied.has(`*:${action}`)
    ) {
      throw new NotAllowedError(
        `${FIELDS[action]}: you are not allowed 'gitops.change.${action}' on ${entityRef}`,
      );
    }
  }
}

export interface Harness {
  app: express.Express;
  store: DatabaseChangeStore;
  service: ChangeService;
  queries: ChangeQueries;
  expiry: ChangeExpiry;
  policy: PolicyService;
  /** The catalog as the write side and the policy see it (spy on it to count reads). */
  entities: EntityLoader;
  /** The policy re-check before execution, of a stored change, now. */
  reevaluate(id: string): Promise<RecheckResult>;
  reader: FakeReader;
  permissions: FakePermissions;
  clock: { now: Date };
  onApproved: jest.Mock;
  auditor: ReturnType<typeof mockServices.auditor.mock>;
  auditEvents: Array<{ eventId: string; meta?: unknown; outcome?: string }>;
  knex: Knex;
  /** Users for whom the catalog hides the entity. */
  hidden: Set<string>;
}

/** Builds the app on a migrated database. */
export async function createHarness(
  knex: Knex,
  options: { config?: Config; now?: Date } = {},
): Promise<Harness> {
  const store = await DatabaseChangeStore.fromKnex(knex);
  const policies: PolicySet = readGitopsConfig(
    options.config ?? loadExampleAppConfig(),
  ).policies;
  const reader = new FakeReader();
  const permissions = new FakePermissions();
  const clock = { now: options.now ?? new Date('2026-11-24T10:00:00Z') };
  const onApproved = jest.fn();
  const auditEvents: Harness['auditEvents'] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async opts => {
      const record: { eventId: string; meta?: unknown; outcome?: string } = {
        eventId: opts.eventId,
        meta: opts.meta,
      };
      auditEvents.push(record);
      return {
        success: async () => {
          record.outcome = 'success';
        },
        fail: async () => {
          record.outcome = 'failure';
        },
      };
    },
  });
  const hidden = new Set<string>();
  const entities: EntityLoader = {
    async getEntity(ref, credentials) {
      const user = (credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      if (user && hidden.has(user)) return undefined;
      return ref === ENTITY_REF
        ? {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'python-api-base', namespace: 'default' },
            spec: { owner: 'group:default/team-a' },
          }
        : undefined;
    },
  };
  const logger = mockServices.logger.mock();
  const policy = PolicyService.create({
    policies,
    reader,
    entities,
    logger,
    serviceCredentials: async () => mockCredentials.service(),
  });
  const changes = createChanges({
    store,
    policy,
    entities,
    permissions,
    logger,
    onApproved,
    auditor,
    now: () => clock.now,
  });
  const userInfo = {
    async getUserInfo(credentials: BackstageCredentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(MEMBERS[ref] ?? [])],
      };
    },
  };
  const app = express();
  app.use(jsonBody());
  app.use(
    createChangesRouter(changes, {
      httpAuth: mockServices.httpAuth(),
      userInfo,
      auditor,
    }),
  );
  app.use(mockErrorHandler());
  return {
    app,
    store,
    service: changes.service,
    queries: changes.queries,
    expiry: changes.expiry,
    policy,
    entities,
    reevaluate: async (id: string) =>
      policy.recheck((await store.getChange(id))!, clock.now),
    reader,
    permissions,
    clock,
    onApproved,
    auditor,
    auditEvents,
    knex,
    hidden,
  };
}

/** Config with a stricter prod approval gate (for the race tests). */
export function configWithMinApprovals(min: number): Config {
  const base = loadExampleAppConfig().get<any>();
  const prod = base.gitops.pipelines.standard.environments[2];
  prod.approvals.min = min;
  return new ConfigReader(base);
}

/** Row counts of the change tables. */
export async function counts(knex: Knex) {
  const n = async (t: string) => Number((await knex(t).count({ n: '*' }))[0].n);
  return {
    requests: await n('gitops_change_requests'),
    approvals: await n('gitops_change_approvals'),
    events: await n('gitops_change_events'),
  };
}
