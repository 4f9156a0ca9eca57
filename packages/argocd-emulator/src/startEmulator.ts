/** Programmatic entry point: start an emulator instance, stop it cleanly. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { GitopsRepo } from './git/GitopsRepo';
import { AppProject, Clock, Controller } from './server/Controller';
import { SessionManager } from './server/auth';
import { KubeSecrets } from './server/KubeSecrets';
import { createRouter } from './server/routes';
import { Faults, validateFaults } from './server/faults';
import { SEEDS } from './seed';
import { isUnbuiltTag } from './seeding/unbuiltTags';
import { seedInstance } from './seeding/seedInstance';
import { ScaleOptions, withScale } from './seeding/scaleSeed';
import { withSeedLock } from './seeding/seedLock';
import type { Application } from './logic/types';

/** Options of {@link startEmulator}. @public */
export interface EmulatorOptions {
  /** Port to listen on; 0 or omitted = a free port. */
  port?: number;
  /** Where the GitOps repository lives (`<dataDir>/gitops-repo`); omitted = a fresh temp dir removed on stop. */
  dataDir?: string;
  /** Which seed set to load (default 'local'); 'none' = empty. */
  instance?: 'local' | 'secondary' | 'none';
  /** Injectable clock (default real time); windows and timestamps use it. */
  clock?: Clock;
  /** Bearer token accepted (default: a generated JWT-shaped token). */
  token?: string;
  /** username → password for POST /api/v1/session (default {admin: <generated>}). */
  users?: Record<string, string>;
  /** Bearer token of the Kubernetes slice (default generated). */
  kubeToken?: string;
  /** How long an operation stays Running (ms, default 1000). */
  operationDurationMs?: number;
  /** How long health stays Progressing after a rollout (ms, default 1000). */
  healthProgressingMs?: number;
  /** Background reconcile loop interval (ms, default 2000). */
  reconcileIntervalMs?: number;
  /** Image tags that end Degraded (default {@link DEFAULT_BROKEN_TAGS}); any tag containing `broken` always does. */
  brokenTags?: string[];
  /** Image tags whose sync fails (phase Failed); any tag containing `syncfail` always does. */
  syncFailTags?: string[];
  /** Initial fault settings. */
  faults?: Faults;
  /** Enables /emulator/admin/* (faults, clock, reconcile, load application, drift). Off by default. */
  adminApi?: boolean;
  /**
   * Address to bind (default `127.0.0.1`: the emulator is for this machine; pass
   * `0.0.0.0` or `::` to expose it on every interface).
   */
  host?: string;
  /**
   * Keep live state, history, operations and Helm secrets across restarts in
   * `<dataDir>/argocd-emulator-<instance>.state.json` (the CLI turns this on). Default false.
   */
  persistState?: boolean;
  /**
   * Per-user project access (username -> project names, `*` = all) for RBAC tests; users not listed
   * (and the configured token's user `admin`) may access everything. Default: no restrictions.
   */
  projectScopes?: Record<string, string[]>;
  /**
   * Argo CD's `controller.resource.health.persist` (default false, as in Argo CD
   * 3.x: lists carry no per-resource health and `resourceHealthSource: appTree`).
   */
  persistResourceHealth?: boolean;
  /**
   * Generated applications added to the instance's seed set, for benchmarks
   * (`{apps: 2000, entities: 700}`: components `scale-0000` …, see `seeding/scaleSeed.ts`).
   */
  scale?: ScaleOptions;
  /** Receives one line per request (`GET /api/v1/applications 200 3ms`; no headers, query or bodies). */
  logRequest?: (line: string) => void;
}

/** A running emulator. @public */
export interface EmulatorHandle {
  url: string;
  port: number;
  token: string;
  kubeToken: string;
  users: Record<string, string>;
  /** Absolute path of the GitOps git repository. */
  repoDir: string;
  /** `file://` URL of the GitOps repository (the apps' spec.source.repoURL). */
  repoURL: string;
  /** Merges fault settings (pass `{}` with `replace` to clear). */
  setFaults(faults: Faults, replace?: boolean): Faults;
  /** Shifts the emulator's clock by `ms` relative to the base clock. */
  setClockOffset(ms: number): void;
  /** Replaces the list of image tags that end Degraded (the `broken` substring rule stays). */
  setBrokenTags(tags: string[]): void;
  /** Runs one reconcile pass (git re-read, windows, auto-sync) now. */
  reconcile(): Promise<void>;
  /** Creates or replaces an AppProject without validation (like `kubectl apply`). */
  upsertProject(project: AppProject): AppProject;
  /** Loads an Application verbatim (e.g. a recorded one); its status is kept as given. */
  loadApplication(app: Application): Promise<Application>;
  stop(): Promise<void>;
}

/** Tags that end Degraded by default (a hotfix candidate that crash-loops). @public */
export const DEFAULT_BROKEN_TAGS = ['v1.2.1', 'v1.2.1-dev.1', 'v1.2.1-rc.1'];

const ARGOCD_VERSION = 'v3.5.1+109ca7c';

/** Loopback only unless told otherwise. @public */
export const DEFAULT_HOST = '127.0.0.1';

/** Host part of the emulator's URL for a bind address. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** The user a configured token stands for: its JWT `sub` (account part) when readable, else `admin`. */
function staticTokenSubject(token: string): string {
  const parts = token.split('.');
  if (parts.length !== 3) return 'admin';
  try {
    const sub = JSON.parse(
      Buffer.from(parts[1], 'base64url').toString('utf8'),
    )?.sub;
    return typeof sub === 'string' && sub ? sub.split(':')[0] : 'admin';
  } catch {
    return 'admin';
  }
}

/** Starts an emulator. @public */
export async function startEmulator(
  options: EmulatorOptions = {},
): Promise<EmulatorHandle> {
  const baseClock = options.clock ?? { now: () => new Date() };
  let offset = 0;
  const clock: Clock = {
    now: () => new Date(baseClock.now().getTime() + offset),
  };
  const tempDir = options.dataDir
    ? undefined
    : fs.mkdtempSync(path.join(os.tmpdir(), 'argocd-emulator-'));
  const dataDir = path.resolve(options.dataDir ?? tempDir!);
  fs.mkdirSync(dataDir, { recursive: true });
  const repo = await withSeedLock(dataDir, () =>
    GitopsRepo.open(path.join(dataDir, 'gitops-repo')),
  );
  let faults: Faults = validateFaults(options.faults ?? {});
  let brokenTags = new Set(options.brokenTags ?? DEFAULT_BROKEN_TAGS);
  const syncFailTags = new Set(options.syncFailTags ?? []);
  const controller = new Controller({
    repo,
    clock,
    operationDurationMs: options.operationDurationMs ?? 1000,
    healthProgressingMs: options.healthProgressingMs ?? 1000,
    // broken tags crash-loop; unbuilt ones (seed) cannot be pulled: both end Degraded
    isBrokenTag: t =>
      brokenTags.has(t) || t.includes('broken') || isUnbuiltTag(t),
    isSyncFailTag: t => syncFailTags.has(t) || t.includes('syncfail'),
    slowOperationsMs: () => faults.slowOperationsMs ?? 0,
    persistResourceHealth: options.persistResourceHealth,
    // eslint-disable-next-line @typescript-eslint/no-use-before-define
    onChange: () => scheduleSave(),
  });
  const users = options.users ?? {
    admin: crypto.randomBytes(12).toString('base64url'),
  };
  const sessions = new SessionManager({ now: () => clock.now(), users });
  const token = options.token ?? sessions.issue('admin:apiKey');
  if (options.token)
    sessions.addStaticToken(options.token, staticTokenSubject(options.token));
  const kubeToken = options.kubeToken ?? crypto.randomBytes(24).toString('hex');
  const instanceName = options.instance ?? 'local';
  const stateFile = options.persistState
    ? path.join(dataDir, `argocd-emulator-${instanceName}.state.json`)
    : undefined;
  let saveTimer: NodeJS.Timeout | undefined;
  let loading = true;
  const saveNow = () => {
    if (!stateFile) return;
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    const tmp = `${stateFile}.${process.pid}.tmp`;
    fs.writeFileSync(
      tmp,
      JSON.stringify({
        controller: controller.exportState(),
        // eslint-disable-next-line @typescript-eslint/no-use-before-define
        kube: kube.exportState(),
      }),
    );
    fs.renameSync(tmp, stateFile);
  };
  const scheduleSave = () => {
    if (!stateFile || loading || saveTimer) return;
    saveTimer = setTimeout(() => {
      try {
        saveNow();
      } catch {
        // best effort; the next change retries
      }
    }, 200);
    saveTimer.unref();
  };
  const kube = new KubeSecrets(() => clock.now(), scheduleSave);

  // restore persisted state, then seed whatever is missing
  let restored = false;
  if (stateFile && fs.existsSync(stateFile)) {
    try {
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
      await controller.importState(state.controller);
      kube.importState(state.kube);
      restored = true;
    } catch (e) {
      fs.renameSync(stateFile, `${stateFile}.unreadable-${Date.now()}`);
      process.emitWarning(
        `argocd-emulator: ignoring unreadable state file ${stateFile}: ${
          (e as Error).message
        }`,
      );
    }
  }
  await seedInstance({
    controller,
    kube,
    repo,
    seed: withScale(SEEDS[instanceName], options.scale),
    dataDir,
    clock,
    restored,
  });

  loading = false;
  if (stateFile) saveNow();

  const app = createRouter({
    controller,
    sessions,
    kube,
    kubeToken,
    faults: () => faults,
    setFaults: (f, replace) => {
      faults = replace ? { ...f } : { ...faults, ...f };
      return faults;
    },
    adminApi: !!options.adminApi,
    adminToken: token,
    setClockOffset: ms => {
      offset = ms;
      return offset;
    },
    getClockOffset: () => offset,
    controllerNow: () => clock.now().toISOString(),
    projectScopes: options.projectScopes,
    logRequest: options.logRequest,
    brokenTags: () => [...brokenTags],
    setBrokenTags: tags => {
      brokenTags = new Set(tags);
    },
    accounts: () => [...new Set(['admin', ...Object.keys(users)])],
    version: ARGOCD_VERSION,
  });
  const host = options.host ?? DEFAULT_HOST;
  const server = http.createServer(app);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const interval = setInterval(() => {
    controller.reconcileAll().catch(() => undefined);
  }, options.reconcileIntervalMs ?? 2000);
  interval.unref();

  let stopped = false;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    token,
    kubeToken,
    users,
    repoDir: repo.dir,
    repoURL: repo.repoURL,
    setFaults(f, replace = false) {
      const v = validateFaults(f);
      faults = replace ? { ...v } : { ...faults, ...v };
      return { ...faults };
    },
    setClockOffset(ms) {
      offset = ms;
    },
    setBrokenTags(tags) {
      brokenTags = new Set(tags);
    },
    reconcile: () => controller.reconcileAll(),
    loadApplication: a => controller.addApplication(a, { imported: true }),
    upsertProject: p => controller.upsertProject(p),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(interval);
      await controller.stop();
      repo.close();
      if (stateFile) saveNow();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
