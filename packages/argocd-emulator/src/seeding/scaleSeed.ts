/**
 * A generated seed set for benchmarks: N applications across M catalog
 * entities (components `scale-0000` … ), each a real seeded app (a GitOps
 * repository folder with 2–4 commits, deployed at them, so status.sync,
 * health, history with revisions, summary.images, resources and the revision
 * metadata of every deployed revision exist), deterministic for a given seed.
 *
 * Apps per entity: `apps / entities` rounded down, the first `apps % entities`
 * entities get one more (1 to 3 per entity: environments `prod`, then
 * `dev`+`prod`, then `dev`+`staging`+`prod`), bound by
 * `gitops.backstage.io/entity-ref` and the pipeline of that many environments
 * ({@link SCALE_PIPELINES}). Pure: no I/O.
 */
import type { SeedApp, SeedContainer, SeedProject, SeedSet } from '../seed';

/** Options of {@link scaleSeed}. @public */
export interface ScaleOptions {
  /** Number of applications (≥ 1). */
  apps: number;
  /** Number of catalog entities they belong to (apps / 3 ≤ entities ≤ apps). */
  entities: number;
  /** PRNG seed (default 1). */
  seed?: number;
}

/** The pipeline an entity with 1, 2 or 3 environments is bound to, and its environments. @public */
export const SCALE_PIPELINES: Record<
  string,
  { environments: readonly string[] }
> = {
  'scale-single': { environments: ['prod'] },
  'scale-fast-track': { environments: ['dev', 'prod'] },
  'scale-standard': { environments: ['dev', 'staging', 'prod'] },
};

const PIPELINE_BY_COUNT = [
  '',
  'scale-single',
  'scale-fast-track',
  'scale-standard',
];

/** Projects the generated apps are spread over (one per team). */
const TEAMS = 10;

const AUTHORS = ['updater', 'alice', 'bob', 'carol'] as const;

const MESH: SeedContainer[] = [
  { name: 'istio-proxy', image: 'example.org/mesh/proxyv2:1.24.2' },
];

/** mulberry32: a small seeded PRNG, uniform in [0, 1). @public */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The component (catalog entity name) of generated entity `i`. @public */
export function scaleComponent(i: number): string {
  return `scale-${String(i).padStart(4, '0')}`;
}

function validate(o: ScaleOptions) {
  const { apps, entities } = o;
  if (!Number.isInteger(apps) || apps < 1)
    throw new Error(`seed apps must be a positive integer, got ${apps}`);
  if (!Number.isInteger(entities) || entities < 1)
    throw new Error(
      `seed entities must be a positive integer, got ${entities}`,
    );
  if (entities > apps)
    throw new Error(
      `seed entities (${entities}) must not exceed seed apps (${apps}): every entity has at least one app`,
    );
  if (apps > entities * 3)
    throw new Error(
      `seed apps (${apps}) must not exceed 3 per entity (${
        entities * 3
      } for ${entities} entities)`,
    );
}

/** Tags committed for one app, oldest first (the last is desired and deployed). */
function commitsFor(env: string, rnd: () => number): SeedApp['commits'] {
  const n = 2 + Math.floor(rnd() * 3);
  const major = 1 + Math.floor(rnd() * 3);
  let minor = Math.floor(rnd() * 8);
  let patch = 0;
  let hoursAgo = 24 * (10 + Math.floor(rnd() * 30));
  const out: SeedApp['commits'] = [];
  for (let k = 0; k < n; k++) {
    if (rnd() < 0.4) {
      minor += 1;
      patch = 0;
    } else patch += 1;
    const base = `v${major}.${minor}.${patch}`;
    let tag = base;
    if (env === 'dev') tag = `${base}-dev.${k + 1}`;
    if (env === 'staging') tag = `${base}-rc.${k + 1}`;
    const author =
      env === 'prod'
        ? AUTHORS[1 + Math.floor(rnd() * 3)]
        : AUTHORS[rnd() < 0.8 ? 0 : 1 + Math.floor(rnd() * 3)];
    out.push({ tag, hoursAgo, author });
    hoursAgo = Math.max(1, Math.floor(hoursAgo * (0.3 + rnd() * 0.5)));
  }
  return out;
}

/** The generated seed set (projects `team-00` … and the apps). @public */
export function scaleSeed(o: ScaleOptions): SeedSet {
  validate(o);
  const rnd = seededRandom(o.seed ?? 1);
  const base = Math.floor(o.apps / o.entities);
  const extra = o.apps % o.entities;
  const projects: SeedProject[] = Array.from({ length: TEAMS }, (_, t) => ({
    name: `team-${String(t).padStart(2, '0')}`,
    description: `Generated benchmark project of team ${t}`,
    syncWindows: [],
  }));
  const apps: SeedApp[] = [];
  for (let i = 0; i < o.entities; i++) {
    const component = scaleComponent(i);
    const count = base + (i < extra ? 1 : 0);
    const pipeline = PIPELINE_BY_COUNT[count];
    const project = projects[i % TEAMS].name;
    const meshed = rnd() < 0.2;
    for (const env of SCALE_PIPELINES[pipeline].environments) {
      const automated =
        env === 'prod' ? undefined : { prune: true, selfHeal: env === 'dev' };
      apps.push({
        name: `${component}-${env}`,
        component,
        binding: { entityRef: `component:default/${component}`, pipeline },
        env,
        project,
        namespace: `${component}-${env}`,
        imageRepository: `example.org/${project}/${component}`,
        chartName: component,
        chartDescription: `Generated service ${component}`,
        ...(automated ? { automated } : {}),
        ...(meshed ? { sidecars: MESH } : {}),
        commits: commitsFor(env, rnd),
      });
    }
  }
  return { projects, apps, helmReleases: [] };
}

/** A seed set with a generated one added (projects and apps appended). @public */
export function withScale(
  seed: SeedSet,
  scale: ScaleOptions | undefined,
): SeedSet {
  if (!scale) return seed;
  const extra = scaleSeed(scale);
  return {
    projects: [...seed.projects, ...extra.projects],
    apps: [...seed.apps, ...extra.apps],
    helmReleases: seed.helmReleases,
  };
}
