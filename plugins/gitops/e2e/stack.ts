/* eslint-disable no-console */
/**
 * Starts what the browser tests need on free ports: the Argo CD emulator
 * (in-process, fresh GitOps repository), a production build of the app (cached
 * by a hash of its sources) and the backend serving that build, with an e2e
 * app-config layered over the repository's app-config.yaml.
 */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, EmulatorHandle } from '@internal/argocd-emulator';
import { startRegistry } from './registry';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > end)
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}`,
      );
    await new Promise(r => setTimeout(r, 500));
  }
}

function hashSources(): string {
  const h = crypto.createHash('sha256');
  const roots = [
    'packages/app/src',
    'plugins/gitops/src',
    'plugins/gitops-common/src',
  ];
  const files = [
    'packages/app/package.json',
    'plugins/gitops/package.json',
    'plugins/gitops-common/package.json',
    'yarn.lock',
  ];
  const walk = (dir: string) => {
    for (const e of fs
      .readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (!/\.test\.tsx?$/.test(e.name)) files.push(rel);
    }
  };
  roots.forEach(walk);
  for (const f of files) {
    h.update(f);
    h.update(fs.readFileSync(path.join(REPO_ROOT, f)));
  }
  return h.digest('hex');
}

/** Builds packages/app unless dist matches the current sources. Returns build seconds (0 = cached). */
export function buildApp(log: (s: string) => void): number {
  const dist = path.join(REPO_ROOT, 'packages/app/dist');
  const stampFile = path.join(dist, '.gitops-e2e-stamp');
  const hash = hashSources();
  if (
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, 'utf8') === hash &&
    fs.existsSync(path.join(dist, 'index.html'))
  ) {
    log('app build: up to date (sources unchanged)');
    return 0;
  }
  log('app build: building packages/app (production)…');
  const t0 = Date.now();
  const r = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new Error(
      `app build failed (${r.status}):\n${(r.stderr || r.stdout).slice(-3000)}`,
    );
  }
  fs.writeFileSync(stampFile, hash);
  const s = (Date.now() - t0) / 1000;
  log(`app build: done in ${s.toFixed(0)} s`);
  return s;
}

export interface Stack {
  baseUrl: string;
  dataDir: string;
  local: EmulatorHandle;
  secondary: EmulatorHandle;
  backend: ChildProcess;
  backendLog: string;
  /** When the prod window of pipeline `e2e-after-hours` opens next (ISO). */
  afterHoursOpensAt: string;
  stop(): Promise<void>;
}

function e2eConfig(o: {
  port: number;
  local: EmulatorHandle;
  secondary: EmulatorHandle;
  secondaryPassword: string;
  repoDir: string;
  catalogFile: string;
  closedSchedule: string;
  registryUrl: string;
}) {
  const baseUrl = `http://localhost:${o.port}`;
  const gitWb = (env: string) => ({
    method: 'git',
    repository: 'gitops',
    path: `apps/{app}-${env}/values.yaml`,
    key: 'image.tag',
  });
  const prod = (windows: unknown[]) => ({
    name: 'prod',
    promotesFrom: 'staging',
    instance: 'local',
    tagPattern: '^v\\d+\\.\\d+\\.\\d+$',
    forbiddenTags: ['latest', 'stable'],
    requireSemver: true,
    sourceMustBeHealthy: true,
    requireRunInPrevious: { soakTime: '0s' },
    // the promoted tag must be in the registry
    requireImageExists: true,
    dryRunRequired: true,
    manualSyncRequired: true,
    useArgoCdWindows: false,
    approvals: {
      min: 1,
      approvers: ['group:default/platform-team'],
      allowSelfApproval: false,
      expiresAfter: '24h',
    },
    windows,
    override: {
      allowed: ['group:default/sre'],
      approvers: ['group:default/platform-team'],
    },
    writeBack: gitWb('prod'),
  });
  const lower = [
    {
      name: 'dev',
      instance: 'local',
      tagPattern: '^v\\d+\\.\\d+\\.\\d+-dev\\.\\d+$',
      writeBack: gitWb('dev'),
    },
    {
      name: 'staging',
      promotesFrom: 'dev',
      instance: 'local',
      tagPattern: '^v\\d+\\.\\d+\\.\\d+-rc\\.\\d+$',
      requireSemver: true,
      sourceMustBeHealthy: true,
      // QA (group qa: erin) signs off the rc; Argo CD's PostSync smoke test must pass
      verification: {
        signOff: { groups: ['group:default/qa'] },
        automated: { postSyncHooks: true, soakTime: '0s' },
      },
      writeBack: gitWb('staging'),
    },
  ];
  return {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port: o.port },
      cors: { origin: baseUrl },
      database: { client: 'better-sqlite3', connection: ':memory:' },
    },
    catalog: {
      locations: [
        {
          type: 'file',
          target: path.join(REPO_ROOT, 'examples/entities.yaml'),
        },
        {
          type: 'file',
          target: path.join(REPO_ROOT, 'examples/org.yaml'),
          rules: [{ allow: ['User', 'Group'] }],
        },
        { type: 'file', target: o.catalogFile },
      ],
    },
    gitops: {
      argocd: {
        instances: [
          {
            name: 'local',
            url: o.local.url,
            externalUrl: o.local.url,
            token: o.local.token,
            timeout: '5s',
          },
          {
            name: 'secondary',
            url: o.secondary.url,
            externalUrl: o.secondary.url,
            username: 'admin',
            password: o.secondaryPassword,
            timeout: '5s',
          },
        ],
      },
      helm: {
        clusters: [
          { name: 'local', url: o.local.url, token: o.local.kubeToken },
        ],
      },
      cache: { ttl: '1s' },
      registries: [
        { host: 'example.org', url: o.registryUrl, auth: 'anonymous' },
      ],
      git: {
        repositories: [{ name: 'gitops', url: o.repoDir, branch: 'main' }],
      },
      execution: {
        pollInterval: '200ms',
        maxPollInterval: '1s',
        schedulerFrequency: '1s',
        leaseDuration: '10s',
        operationTimeout: '60s',
        healthTimeout: '60s',
        busyTimeout: '60s',
      },
      pipelines: {
        // always open, so the approved prod change runs at once whatever the time of the run
        standard: {
          applicationName: '{app}-{env}',
          environments: [
            ...lower,
            {
              ...prod([
                {
                  kind: 'allow',
                  schedule: '* * * * *',
                  duration: '24h',
                  timeZone: 'UTC',
                },
              ]),
              // python-api-base's prod takes only an rc QA verified in staging
              requireVerification: true,
              // … and only the image that ran there (v1.2.0 = v1.2.0-rc.2's digest); the
              // after-hours apps' staging runs v1.2.0-rc.1 (another build), so not there
              requireSameDigest: true,
            },
          ],
        },
        // same apps; the prod window opens only later today, so approved changes wait for it
        'e2e-after-hours': {
          applicationName: '{app}-{env}',
          environments: [
            ...lower,
            prod([
              {
                kind: 'allow',
                schedule: o.closedSchedule,
                duration: '1h',
                timeZone: 'UTC',
              },
            ]),
          ],
        },
      },
    },
  };
}

/**
 * The after-hours entity's own applications: `${AFTER_HOURS_APP}-{env}`. Not
 * named `python-api-base-*`: app-config.yaml's binding rule maps those names
 * (project shop) to python-api-base, and two bindings are a conflict.
 */
const AFTER_HOURS_APP = 'after-hours-api';
const AFTER_HOURS_REF = 'component:default/python-api-base-after-hours';
const ENVS = ['dev', 'staging', 'prod'];

/**
 * Gives the after-hours entity applications of its own, as a platform admin
 * would: one folder per application in the GitOps repository (a copy of
 * python-api-base's, so the write-back path `apps/{app}-{env}/values.yaml`
 * exists), then Argo CD Applications created through the Argo CD API that
 * name the entity and its pipeline (`gitops.backstage.io/entity-ref`,
 * `gitops.backstage.io/pipeline`), synced until Healthy. The entity cannot
 * share python-api-base's applications: those name python-api-base, and a
 * second entity (or a second pipeline) on them is refused by the binding.
 */
async function addAfterHoursApps(
  local: EmulatorHandle,
  auth: Record<string, string>,
) {
  const repo = local.repoDir;
  for (const env of ENVS) {
    fs.cpSync(
      path.join(repo, 'apps', `python-api-base-${env}`),
      path.join(repo, 'apps', `${AFTER_HOURS_APP}-${env}`),
      { recursive: true },
    );
  }
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Platform admin',
        GIT_AUTHOR_EMAIL: 'platform@example.org',
        GIT_COMMITTER_NAME: 'Platform admin',
        GIT_COMMITTER_EMAIL: 'platform@example.org',
      },
    });
    if (r.status !== 0)
      throw new Error(`git ${args[0]} failed: ${r.stderr || r.stdout}`);
  };
  git('add', '--', ...ENVS.map(env => `apps/${AFTER_HOURS_APP}-${env}`));
  git(
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    `Add ${AFTER_HOURS_APP} (dev, staging, prod)`,
  );

  const api = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(`${local.url}${p}`, {
      method,
      headers: auth,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  for (const env of ENVS) {
    const template = await api(
      'GET',
      `/api/v1/applications/python-api-base-${env}`,
    );
    const name = `${AFTER_HOURS_APP}-${env}`;
    const spec = structuredClone(template.spec);
    spec.source = {
      ...spec.source,
      path: `apps/${name}`,
      helm: { ...spec.source.helm, releaseName: AFTER_HOURS_APP },
    };
    spec.destination = {
      ...spec.destination,
      namespace: `shop-after-hours-${env}`,
    };
    await api('POST', '/api/v1/applications', {
      metadata: {
        name,
        labels: { 'app.kubernetes.io/part-of': AFTER_HOURS_APP, env },
        annotations: {
          'gitops.backstage.io/entity-ref': AFTER_HOURS_REF,
          'gitops.backstage.io/pipeline': 'e2e-after-hours',
        },
      },
      spec,
    });
    await api('POST', `/api/v1/applications/${name}/sync`, {
      revision: 'main',
    }).catch(e => {
      // dev/staging auto-sync: the emulator's reconcile may have started the sync first
      if (!/another operation is already in progress/.test(String(e))) throw e;
    });
  }
  await waitFor(`${AFTER_HOURS_APP}-* Synced and Healthy`, 60_000, async () => {
    for (const env of ENVS) {
      const app = await api(
        'GET',
        `/api/v1/applications/${AFTER_HOURS_APP}-${env}`,
      );
      if (
        app.status?.sync?.status !== 'Synced' ||
        app.status?.health?.status !== 'Healthy' ||
        app.status?.operationState?.phase === 'Running'
      )
        return false;
    }
    return true;
  });
}

export async function startStack(log: (s: string) => void): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-e2e-'));
  const secondaryPassword = crypto.randomBytes(12).toString('base64url');
  const [localPort, secondaryPort, backendPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const local = await startEmulator({
    port: localPort,
    dataDir,
    instance: 'local',
    operationDurationMs: 1500,
    healthProgressingMs: 1500,
    reconcileIntervalMs: 1000,
    adminApi: true,
  });
  const secondary = await startEmulator({
    port: secondaryPort,
    dataDir,
    instance: 'secondary',
    users: { admin: secondaryPassword },
    reconcileIntervalMs: 1000,
  });
  log(
    `emulator: local ${local.url}, secondary ${secondary.url}, repo ${local.repoDir}`,
  );
  const registry = await startRegistry(REPO_ROOT);
  log(
    `registry: ${registry.url}, ${registry.tags} example tags pushed (v1.3.0-rc.9 deliberately missing)`,
  );

  // Argo CD's own window on the shop project (Mon–Fri 06–18 UTC) would make the run depend
  // on the time of day; remove it through the Argo CD API, as an admin would.
  const auth = {
    Authorization: `Bearer ${local.token}`,
    'Content-Type': 'application/json',
  };
  const project = await (
    await fetch(`${local.url}/api/v1/projects/shop`, { headers: auth })
  ).json();
  project.spec.syncWindows = [];
  const put = await fetch(`${local.url}/api/v1/projects/shop`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({ project }),
  });
  if (!put.ok)
    throw new Error(
      `could not clear the shop project's sync windows: ${
        put.status
      } ${await put.text()}`,
    );

  await addAfterHoursApps(local, auth);
  log(
    `emulator: added ${AFTER_HOURS_APP}-{dev,staging,prod}, bound to ${AFTER_HOURS_REF} (pipeline e2e-after-hours)`,
  );

  // A prod window that opens 3 hours from now, for 1 hour: closed during the run.
  const opens = new Date(Date.now() + 3 * 3600_000);
  opens.setUTCSeconds(0, 0);
  const closedSchedule = `${opens.getUTCMinutes()} ${opens.getUTCHours()} * * *`;

  const catalogFile = path.join(dataDir, 'e2e-entities.yaml');
  fs.writeFileSync(
    catalogFile,
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: python-api-base-after-hours
  description: Its own Argo CD applications under a pipeline whose prod window is closed now (browser tests)
  annotations:
    gitops/app: ${AFTER_HOURS_APP}
    gitops/pipeline: e2e-after-hours
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
  system: shop
`,
  );
  const configFile = path.join(dataDir, 'app-config.e2e.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify(
      e2eConfig({
        port: backendPort,
        local,
        secondary,
        secondaryPassword,
        repoDir: local.repoDir,
        catalogFile,
        closedSchedule,
        registryUrl: registry.url,
      }),
      null,
      2,
    ),
    { mode: 0o600 },
  );

  const backendLog = path.join(dataDir, 'backend.log');
  const out = fs.openSync(backendLog, 'a');
  const backend = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      path.join(REPO_ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: path.join(REPO_ROOT, 'packages/backend'),
      env: {
        ...process.env,
        GITOPS_LOCAL_ARGOCD_TOKEN: local.token,
        GITOPS_SECONDARY_ARGOCD_PASSWORD: secondaryPassword,
        GITOPS_LOCAL_KUBE_TOKEN: local.kubeToken,
        GITOPS_DATA_DIR: dataDir,
      },
      stdio: ['ignore', out, out],
      detached: true,
    },
  );
  const baseUrl = `http://localhost:${backendPort}`;
  // never leave the backend behind, whatever happens to this process
  const killBackend = () => {
    try {
      if (backend.pid) process.kill(-backend.pid, 'SIGTERM');
    } catch {
      // gone
    }
  };
  process.once('exit', killBackend);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killBackend();
      process.exit(130);
    });
  }
  let exited: number | null = null;
  backend.on('exit', code => {
    exited = code ?? -1;
  });
  const stop = async () => {
    if (exited === null && backend.pid) {
      try {
        process.kill(-backend.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise(r => setTimeout(r, 1000));
    }
    await Promise.all([local.stop(), secondary.stop()]).catch(() => {});
    registry.stop();
  };
  try {
    await waitFor('the backend to be ready', 240_000, async () => {
      if (exited !== null)
        throw new Error(`backend exited with ${exited}; see ${backendLog}`);
      const r = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      return r.ok;
    });
  } catch (e) {
    const tail = fs
      .readFileSync(backendLog, 'utf8')
      .split('\n')
      .slice(-40)
      .join('\n');
    await stop();
    throw new Error(
      `${(e as Error).message}\n--- backend log (tail) ---\n${tail}`,
    );
  }
  log(`backend: ${baseUrl} (log ${backendLog})`);
  return {
    baseUrl,
    dataDir,
    local,
    secondary,
    backend,
    backendLog,
    afterHoursOpensAt: opens.toISOString(),
    stop,
  };
}
