/*
 * Test harness: the real emulator (and its real git repository), the real
 * Argo CD client, git write-back, change store and executor, wired as the
 * plugin wires them. Used by the e2e tests only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { startEmulator, EmulatorHandle } from '@internal/argocd-emulator';
import { ArgoCdClient } from '../../../argocd/ArgoCdClient';
import { ReadCache } from '../../../cache/ReadCache';
import { DatabaseChangeStore } from '../../../store/DatabaseChangeStore';
import { NewChange, StoredChange } from '../../../store/ChangeStore';
import { evaluateWindows, SyncWindow } from '../../../windows';
import { GitWriteBack } from '../../../writeback/GitWriteBack';
import { WriteBackSpec } from '../../../writeback/config';
import { ChangeExecutor } from '../../ChangeExecutor';
import { ExecutionSettings } from '../../../config';
import { ExecutionRunner } from '../../ExecutionRunner';
import {
  ExecutionClock,
  ExecutionPolicy,
  ExecutionTarget,
  systemClock,
} from '../../types';

/** Wednesday 10:00 UTC: inside the prod window (Mon–Fri 06:00–18:00 UTC). */
export const IN_WINDOW = new Date('2026-11-25T10:00:00.000Z');

/** A clock that starts at `base` and moves with real time (shared anchor so processes agree). */
export function movingClock(base: Date, anchorMs = Date.now()): ExecutionClock {
  return {
    now: () => new Date(base.getTime() + (Date.now() - anchorMs)),
    sleep: systemClock.sleep,
  };
}

export const FAST_SETTINGS: ExecutionSettings = {
  pollIntervalMs: 50,
  maxPollIntervalMs: 200,
  busyTimeoutMs: 20_000,
  operationTimeoutMs: 20_000,
  healthTimeoutMs: 20_000,
  leaseMs: 1_500,
  schedulerFrequencyMs: 200,
  windowRetryMs: 60_000,
  maxConcurrent: 4,
};

const PROD_WINDOW: SyncWindow = {
  kind: 'allow',
  schedule: '0 6 * * 1-5',
  duration: '12h',
  timeZone: 'UTC',
  source: 'policy',
};

const GIT_WB: WriteBackSpec = {
  method: 'git',
  repository: 'gitops',
  path: 'apps/{app}-{env}/values.yaml',
  key: 'image.tag',
};

/** The standard pipeline's execution settings for python-api-base (as app-config.yaml says). */
export const targets = targetsWith({});

function targetsWith(overrides: Partial<ExecutionTarget>) {
  return {
    async resolve(change: StoredChange): Promise<ExecutionTarget> {
      return { ...(await baseTarget(change)), ...overrides };
    },
  };
}

async function baseTarget(change: StoredChange): Promise<ExecutionTarget> {
  const prod = change.environment === 'prod';
  return {
    instance: 'local',
    application: `python-api-base-${change.environment}`,
    project: 'shop',
    baseApp: 'python-api-base',
    writeBack: GIT_WB,
    dryRunRequired: prod,
    prune: false,
    allowDisableAutoSync: false,
  };
}

/**
 * Re-evaluation with the real window maths and the approval count (the
 * policy engine's job in the plugin; here only what execution needs).
 */
export function windowAndApprovalPolicy(): ExecutionPolicy {
  return {
    async recheck(change, now) {
      const approvals = change.approvals.filter(
        a => a.decision === 'approve',
      ).length;
      const checks = [
        {
          id: 'approvals',
          status:
            approvals >= change.requiredApprovals
              ? ('pass' as const)
              : ('fail' as const),
          message: `${approvals} of ${change.requiredApprovals} approvals`,
        },
      ];
      if (approvals < change.requiredApprovals) {
        return { outcome: 'deny', checks, message: checks[0].message };
      }
      if (change.environment === 'prod') {
        const w = evaluateWindows([PROD_WINDOW], now);
        checks.push({
          id: 'sync-window',
          status: w.open ? 'pass' : 'fail',
          message: w.message,
        });
        if (!w.open) {
          return {
            outcome: 'wait',
            checks,
            runAfter: new Date(w.nextOpen!),
            message: w.message,
          };
        }
      }
      return { outcome: 'allow', checks };
    },
  };
}

export interface Harness {
  emulator: EmulatorHandle;
  store: DatabaseChangeStore;
  argo: ArgoCdClient;
  git: GitWriteBack;
  clock: ExecutionClock;
  runner(owner?: string): ExecutionRunner;
  /**
   * Creates a change and takes it through approval to `approved`; `claims`
   * are the ownership refs (user + groups) of requester and approvers.
   */
  approvedChange(
    input: Partial<NewChange>,
    approvers?: string[],
    claims?: Record<string, string[]>,
  ): Promise<StoredChange>;
  /** `git log` of the GitOps repository (subjects; with `full`, bodies and changed files too). */
  gitLog(full?: boolean): string;
  stop(): Promise<void>;
}

export async function createHarness(options: {
  knex: Knex;
  clock?: ExecutionClock;
  emulator?: EmulatorHandle;
  settings?: ExecutionSettings;
  /** Overrides of every change's execution target (e.g. `allowDisableAutoSync`). */
  target?: Partial<ExecutionTarget>;
  /** The re-check (default: window maths + approval count). */
  policy?: (parts: {
    argo: ArgoCdClient;
    store: DatabaseChangeStore;
    clock: ExecutionClock;
    emulator: EmulatorHandle;
  }) => ExecutionPolicy;
}): Promise<Harness> {
  const clock = options.clock ?? movingClock(IN_WINDOW);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-e2e-'));
  const emulator =
    options.emulator ??
    (await startEmulator({
      port: 0,
      instance: 'local',
      clock,
      dataDir: tmp,
      operationDurationMs: 150,
      healthProgressingMs: 150,
      reconcileIntervalMs: 100,
    }));
  const logger = mockServices.logger.mock();
  const argo = ArgoCdClient.create({
    instances: [
      {
        name: 'local',
        url: emulator.url,
        externalUrl: emulator.url,
        token: emulator.token,
        timeoutMs: 15_000,
        concurrency: 8,
      },
    ],
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
  const git = GitWriteBack.create({
    repositories: [{ name: 'gitops', url: emulator.repoDir, branch: 'main' }],
    workDir: path.join(tmp, 'work'),
    committer: { name: 'Backstage GitOps', email: 'gitops@backstage.invalid' },
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    logger,
    maxPushAttempts: 5,
  });
  const store = await DatabaseChangeStore.fromKnex(options.knex);
  const settings = options.settings ?? FAST_SETTINGS;
  const executor = ChangeExecutor.create({
    services: {
      store,
      argo,
      git,
      policy:
        options.policy?.({ argo, store, clock, emulator }) ??
        windowAndApprovalPolicy(),
      settings,
      clock,
      logger,
    },
    targets: targetsWith(options.target ?? {}),
  });
  const runners: ExecutionRunner[] = [];
  return {
    emulator,
    store,
    argo,
    git,
    clock,
    runner(owner) {
      const r = ExecutionRunner.create({
        store,
        executor,
        settings,
        logger,
        clock,
        owner,
      });
      runners.push(r);
      return r;
    },
    async approvedChange(input, approvers = [], claims = {}) {
      const now = clock.now();
      let c = await store.createChange(
        {
          entityRef: 'component:default/python-api-base',
          environment: 'staging',
          pipeline: 'standard',
          kind: 'promote',
          state: approvers.length ? 'awaiting_approval' : 'approved',
          requestedBy: 'user:default/alice',
          override: false,
          requiredApprovals: approvers.length,
          approverRefs: approvers.length ? ['group:default/platform-team'] : [],
          checks: [],
          createdAt: now,
          requesterClaims: claims[input.requestedBy ?? 'user:default/alice'],
          ...input,
        },
        {
          type: 'created',
          actor: input.requestedBy ?? 'user:default/alice',
          outcome: 'pending',
          data: {
            requesterClaims: claims[input.requestedBy ?? 'user:default/alice'],
          },
        },
      );
      for (const a of approvers) {
        await store.addDecision(
          c.id,
          {
            approver: a,
            decision: 'approve',
            decidedAt: clock.now().toISOString(),
            claims: claims[a],
          },
          { type: 'approved', actor: a, outcome: 'success' },
        );
      }
      if (approvers.length) {
        c = (await store.transition({
          id: c.id,
          from: ['awaiting_approval'],
          to: 'approved',
          event: {
            type: 'state.approved',
            actor: approvers[0],
            outcome: 'success',
          },
        }))!;
      }
      return c;
    },
    gitLog(full = false) {
      const args = full
        ? [
            'log',
            '--format=commit %h%nAuthor: %an <%ae>%nCommit: %cn <%ce>%n%n%w(0,4,4)%B',
            '--name-only',
            'main',
          ]
        : ['log', '--format=%h %an <%ae> | %s', 'main'];
      return execFileSync('git', args, {
        cwd: emulator.repoDir,
        encoding: 'utf8',
      });
    },
    async stop() {
      await Promise.all(runners.map(r => r.stop()));
      if (!options.emulator) await emulator.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Commits the image updater would make: a new tag in an app's values file, straight into the repository. */
export function imageUpdaterCommit(repoDir: string, app: string, tag: string) {
  const file = path.join(repoDir, 'apps', app, 'values.yaml');
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/^(\s+tag:\s*)(\S+)/m, `$1${tag}`);
  fs.writeFileSync(file, text);
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'argocd-image-updater',
    GIT_AUTHOR_EMAIL: 'image-updater@example.org',
    GIT_COMMITTER_NAME: 'argocd-image-updater',
    GIT_COMMITTER_EMAIL: 'image-updater@example.org',
  };
  execFileSync(
    'git',
    ['commit', '-q', '-am', `build: automatic update of ${app} to ${tag}`],
    { cwd: repoDir, env },
  );
}
