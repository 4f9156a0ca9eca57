/* eslint-disable no-console */
/**
 * Standalone emulator: starts instance `local` (${GITOPS_EMULATOR_PORT:-7080})
 * and `secondary` (${GITOPS_EMULATOR_SECONDARY_PORT:-7081}) on one GitOps
 * repository (${GITOPS_DATA_DIR:-<repo root>/.gitops-data}/gitops-repo).
 *
 * Env: GITOPS_LOCAL_ARGOCD_TOKEN (bearer of `local`), GITOPS_SECONDARY_ARGOCD_PASSWORD
 * (admin password of `secondary`), GITOPS_LOCAL_KUBE_TOKEN (Kubernetes slice of `local`),
 * GITOPS_EMULATOR_CONFIG (YAML config file), GITOPS_EMULATOR_ADMIN=1 (admin API),
 * GITOPS_EMULATOR_HOST (bind address; default 127.0.0.1, `0.0.0.0` exposes it on every interface).
 * --seed-apps N --seed-entities M (or GITOPS_EMULATOR_SEED_APPS/_ENTITIES): N generated apps
 * across M entities on `local`, for benchmarks (seeding/scaleSeed.ts).
 * Usage: yarn workspace @internal/argocd-emulator start:emulator [--config file.yaml]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  startEmulator,
  EmulatorHandle,
  EmulatorOptions,
} from './startEmulator';

const faultsSchema = z
  .object({
    latencyMs: z.number().min(0).optional(),
    jitterMs: z.number().min(0).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    down: z.boolean().optional(),
    slowOperationsMs: z.number().min(0).optional(),
  })
  .strict();

const instanceSchema = z
  .object({
    operationDurationMs: z.number().int().min(0).optional(),
    healthProgressingMs: z.number().int().min(0).optional(),
    reconcileIntervalMs: z.number().int().min(10).optional(),
    brokenTags: z.array(z.string()).optional(),
    syncFailTags: z.array(z.string()).optional(),
    faults: faultsSchema.optional(),
    adminApi: z.boolean().optional(),
  })
  .strict();

const configSchema = instanceSchema
  .extend({
    instances: z
      .object({
        local: instanceSchema.optional(),
        secondary: instanceSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

function repoRoot(): string {
  let dir = process.cwd();
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      JSON.parse(fs.readFileSync(pkg, 'utf8')).workspaces
    )
      return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

function readConfig(file: string | undefined): z.infer<typeof configSchema> {
  if (!file) return {};
  const parsed = configSchema.safeParse(
    parseYaml(fs.readFileSync(file, 'utf8')) ?? {},
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `invalid emulator config ${file}: ${issue.path.join('.') || '(root)'}: ${
        issue.message
      }`,
    );
  }
  return parsed.data;
}

function port(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

/** `--seed-apps N --seed-entities M` (or GITOPS_EMULATOR_SEED_APPS / _ENTITIES): generated apps on `local`. */
function scaleArgs(): { apps: number; entities: number } | undefined {
  const flag = (name: string, env: string) => {
    const i = process.argv.indexOf(`--${name}`);
    const raw = i > 0 ? process.argv[i + 1] : process.env[env];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(
        `--${name} (${env}) must be a positive integer, got "${raw}"`,
      );
    return n;
  };
  const apps = flag('seed-apps', 'GITOPS_EMULATOR_SEED_APPS');
  const entities = flag('seed-entities', 'GITOPS_EMULATOR_SEED_ENTITIES');
  if (apps === undefined && entities === undefined) return undefined;
  if (apps === undefined || entities === undefined)
    throw new Error('--seed-apps and --seed-entities go together');
  return { apps, entities };
}

async function main() {
  const argIdx = process.argv.indexOf('--config');
  const configFile =
    argIdx > 0 ? process.argv[argIdx + 1] : process.env.GITOPS_EMULATOR_CONFIG;
  const config = readConfig(configFile);
  const { instances, ...common } = config;
  const dataDir = path.resolve(
    process.env.GITOPS_DATA_DIR || path.join(repoRoot(), '.gitops-data'),
  );
  fs.mkdirSync(dataDir, { recursive: true });
  const admin =
    process.env.GITOPS_EMULATOR_ADMIN === '1' ||
    process.env.GITOPS_EMULATOR_ADMIN === 'true';

  // Credentials: from the environment, else generated and written (0600) to <dataDir>/emulator.env.
  const credFile = path.join(dataDir, 'emulator.env');
  const saved: Record<string, string> = {};
  if (fs.existsSync(credFile)) {
    for (const line of fs.readFileSync(credFile, 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (m) saved[m[1]] = m[2];
    }
  }
  const generated: string[] = [];
  const cred = (name: string, make: () => string) => {
    if (process.env[name]) return process.env[name]!;
    if (!saved[name]) {
      saved[name] = make();
      generated.push(name);
    }
    return saved[name];
  };
  const localToken = cred(
    'GITOPS_LOCAL_ARGOCD_TOKEN',
    () => `emu.${crypto.randomBytes(18).toString('base64url')}.local`,
  );
  const secondaryPassword = cred('GITOPS_SECONDARY_ARGOCD_PASSWORD', () =>
    crypto.randomBytes(12).toString('base64url'),
  );
  const kubeToken = cred('GITOPS_LOCAL_KUBE_TOKEN', () =>
    crypto.randomBytes(24).toString('hex'),
  );
  if (generated.length) {
    fs.writeFileSync(
      credFile,
      `${Object.entries(saved)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
      { mode: 0o600 },
    );
  }

  const handles: EmulatorHandle[] = [];
  const base = (extra: EmulatorOptions | undefined): EmulatorOptions => ({
    ...common,
    ...(extra ?? {}),
    adminApi: admin || extra?.adminApi || common.adminApi,
    persistState: true,
    // loopback unless GITOPS_EMULATOR_HOST says otherwise (startEmulator's default)
    host: process.env.GITOPS_EMULATOR_HOST || undefined,
    ...(process.env.GITOPS_EMULATOR_LOG === '1'
      ? {
          logRequest: (line: string) => console.log(`argocd-emulator: ${line}`),
        }
      : {}),
  });
  const scale = scaleArgs();
  const local = await startEmulator({
    ...base(instances?.local),
    ...(scale ? { scale } : {}),
    port: port('GITOPS_EMULATOR_PORT', 7080),
    dataDir,
    instance: 'local',
    token: localToken,
    kubeToken,
  });
  handles.push(local);
  console.log(
    `argocd-emulator: instance local listening on ${local.url} (bearer token from GITOPS_LOCAL_ARGOCD_TOKEN; Kubernetes slice with GITOPS_LOCAL_KUBE_TOKEN; repo ${local.repoDir})`,
  );
  const secondary = await startEmulator({
    ...base(instances?.secondary),
    port: port('GITOPS_EMULATOR_SECONDARY_PORT', 7081),
    dataDir,
    instance: 'secondary',
    users: { admin: secondaryPassword },
  });
  handles.push(secondary);
  console.log(
    `argocd-emulator: instance secondary listening on ${secondary.url} (user admin, password from GITOPS_SECONDARY_ARGOCD_PASSWORD; repo ${secondary.repoDir})`,
  );
  if (generated.length) {
    console.log(
      `argocd-emulator: generated ${generated.join(
        ', ',
      )} (not set in the environment) and saved them to ${credFile}`,
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`argocd-emulator: ${signal}, stopping`);
    await Promise.all(handles.map(h => h.stop()));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch(e => {
  console.error(`argocd-emulator: ${(e as Error).message}`);
  process.exit(1);
});
