/**
 * The benchmark seed: the generated set (pure) and an emulator started with
 * it, whose applications and revision metadata validate against Argo CD's API
 * document like the contract tests' responses.
 */
import { startEmulator, EmulatorHandle } from '../startEmulator';
import { SEEDS } from '../seed';
import { httpRequest } from '../testing/http';
import { SwaggerValidator } from '../__testUtils__/swaggerValidator';
import {
  SCALE_PIPELINES,
  scaleComponent,
  scaleSeed,
  seededRandom,
  withScale,
} from './scaleSeed';

describe('scaleSeed', () => {
  it('generates the asked number of apps across the asked number of entities', () => {
    const set = scaleSeed({ apps: 2000, entities: 700 });
    expect(set.apps).toHaveLength(2000);
    expect(new Set(set.apps.map(a => a.name)).size).toBe(2000);
    const perEntity = new Map<string, number>();
    for (const a of set.apps)
      perEntity.set(a.component, (perEntity.get(a.component) ?? 0) + 1);
    expect(perEntity.size).toBe(700);
    // 2000 = 700 * 2 + 600: 600 entities with three apps, 100 with two
    const counts = [...perEntity.values()];
    expect(counts.filter(c => c === 3)).toHaveLength(600);
    expect(counts.filter(c => c === 2)).toHaveLength(100);
    expect(perEntity.get(scaleComponent(0))).toBe(3);
    expect(perEntity.get(scaleComponent(699))).toBe(2);
  });

  it('binds every app to its entity under the pipeline of its environment count', () => {
    const set = scaleSeed({ apps: 10, entities: 6 });
    for (const a of set.apps) {
      expect(a.binding.entityRef).toBe(`component:default/${a.component}`);
      const envs = set.apps
        .filter(b => b.component === a.component)
        .map(b => b.env);
      expect(SCALE_PIPELINES[a.binding.pipeline].environments).toEqual(envs);
      expect(a.name).toBe(`${a.component}-${a.env}`);
      expect(set.projects.map(p => p.name)).toContain(a.project);
    }
    // 10 = 6 * 1 + 4: four entities with dev and prod, two with prod only
    expect(set.apps.map(a => a.env)).toEqual([
      ...['dev', 'prod', 'dev', 'prod', 'dev', 'prod', 'dev', 'prod'],
      ...['prod', 'prod'],
    ]);
  });

  it('commits 2 to 4 tags per app, oldest first, in the tag style of the environment', () => {
    const set = scaleSeed({ apps: 300, entities: 100, seed: 7 });
    for (const a of set.apps) {
      expect(a.commits.length).toBeGreaterThanOrEqual(2);
      expect(a.commits.length).toBeLessThanOrEqual(4);
      const hours = a.commits.map(c => c.hoursAgo);
      expect([...hours].sort((x, y) => y - x)).toEqual(hours);
      const style = {
        dev: /-dev\.\d+$/,
        staging: /-rc\.\d+$/,
        prod: /^v\d+\.\d+\.\d+$/,
      }[a.env as 'dev' | 'staging' | 'prod'];
      for (const c of a.commits) expect(c.tag).toMatch(style);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = scaleSeed({ apps: 50, entities: 20, seed: 3 });
    expect(scaleSeed({ apps: 50, entities: 20, seed: 3 })).toEqual(a);
    expect(scaleSeed({ apps: 50, entities: 20, seed: 4 })).not.toEqual(a);
    const r = seededRandom(42);
    const first = [r(), r(), r()];
    const again = seededRandom(42);
    expect([again(), again(), again()]).toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  it('refuses counts it cannot lay out, naming them', () => {
    expect(() => scaleSeed({ apps: 0, entities: 1 })).toThrow(/seed apps/);
    expect(() => scaleSeed({ apps: 5, entities: 6 })).toThrow(
      /entities \(6\) must not exceed seed apps \(5\)/,
    );
    expect(() => scaleSeed({ apps: 10, entities: 3 })).toThrow(
      /must not exceed 3 per entity/,
    );
    expect(() => scaleSeed({ apps: 2.5, entities: 1 })).toThrow(/integer/);
  });

  it('withScale appends to a seed set and leaves it alone without one', () => {
    expect(withScale(SEEDS.local, undefined)).toBe(SEEDS.local);
    const merged = withScale(SEEDS.local, { apps: 4, entities: 2 });
    expect(merged.apps).toHaveLength(SEEDS.local.apps.length + 4);
    expect(merged.apps.slice(0, SEEDS.local.apps.length)).toEqual(
      SEEDS.local.apps,
    );
  });
});

describe('an emulator seeded at scale', () => {
  jest.setTimeout(120_000);
  let emu: EmulatorHandle;
  let validator: SwaggerValidator;
  const get = (p: string) =>
    httpRequest('GET', `${emu.url}${p}`, { token: emu.token });

  beforeAll(async () => {
    validator = new SwaggerValidator();
    emu = await startEmulator({
      instance: 'none',
      scale: { apps: 25, entities: 10 },
      reconcileIntervalMs: 3_600_000,
    });
  });
  afterAll(() => emu.stop());

  it('lists every generated app, each a valid Application with status, history, images and resources', async () => {
    const list = await get('/api/v1/applications');
    expect(list.status).toBe(200);
    expect(validator.errors('v1alpha1ApplicationList', list.body)).toEqual([]);
    const items = (list.body as any).items as any[];
    expect(items).toHaveLength(25);
    for (const a of items) {
      expect(a.status.sync.status).toBe('Synced');
      expect(['Healthy', 'Degraded']).toContain(a.status.health.status);
      expect(a.status.history.length).toBeGreaterThanOrEqual(2);
      // the resolved target revision (main's head), as Argo CD reports it
      expect(a.status.sync.revision).toMatch(/^[0-9a-f]{40}$/);
      expect(a.status.summary.images).toEqual(
        expect.arrayContaining([
          expect.stringContaining(
            `/${a.metadata.labels['app.kubernetes.io/part-of']}:`,
          ),
        ]),
      );
      expect(a.status.resources.map((r: any) => r.kind).sort()).toEqual([
        'Deployment',
        'Service',
      ]);
    }
  });

  it('answers the revision metadata of every deployed revision (what the community plugin fetches)', async () => {
    const items = ((await get('/api/v1/applications')).body as any)
      .items as any[];
    for (const a of items) {
      const sync = await get(
        `/api/v1/applications/${a.metadata.name}/revisions/${a.status.sync.revision}/metadata`,
      );
      expect(sync.status).toBe(200);
      expect(validator.errors('v1alpha1RevisionMetadata', sync.body)).toEqual(
        [],
      );
      for (const h of a.status.history) {
        const m = await get(
          `/api/v1/applications/${a.metadata.name}/revisions/${h.revision}/metadata`,
        );
        expect({ app: a.metadata.name, status: m.status }).toEqual({
          app: a.metadata.name,
          status: 200,
        });
        expect(validator.errors('v1alpha1RevisionMetadata', m.body)).toEqual(
          [],
        );
        expect((m.body as any).message).toContain(a.metadata.name);
      }
    }
  });

  it("selects one entity's apps by the label the community plugin uses", async () => {
    const res = await get(
      `/api/v1/applications?selector=${encodeURIComponent(
        `app.kubernetes.io/part-of=${scaleComponent(0)}`,
      )}`,
    );
    expect(
      ((res.body as any).items as any[]).map(a => a.metadata.name).sort(),
    ).toEqual(['dev', 'prod', 'staging'].map(e => `${scaleComponent(0)}-${e}`));
  });
});
