/*
 * Child process of bench/status.ts: one Backstage backend (createBackend,
 * in-memory catalog with the generated entities (indexed by ref, see
 * indexedCatalog; BENCH_CATALOG=real: the catalog backend itself), the mock auth services of
 * backend-test-utils so that every viewer is a signed-in user without a
 * sign-in flow — the same on every side)
 * with ONE side mounted (BENCH_SIDE: mirror | proxy → our plugin; community →
 * @backstage-community/plugin-argocd-backend), so that each configuration has
 * its own process and heap. Run with --expose-gc: 'memory' answers the heap
 * after a full collection.
 * Messages: parent → 'memory' | 'cpu' | 'stop'; child → {type:'ready'} | {type:'memory', heapUsed, rss} | {type:'cpu', ms}.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { backendConfig, catalogEntities, Side } from './benchConfig';

/**
 * The in-memory catalog of backend-test-utils, with one change: a lookup by
 * ref is one map read. The mock builds a map of every entity on each
 * `getEntityByRef` (0.25 ms per lookup for 700 entities on this machine),
 * which no catalog does; a real catalog answers the lookup over HTTP from
 * its database, which costs more than either. Every other call is the mock's.
 */
function indexedCatalog(entities: Entity[]): CatalogService {
  const mock = catalogServiceMock({ entities });
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const getEntityByRef = async (ref: string | CompoundEntityRef) =>
    byRef.get(stringifyEntityRef(parseEntityRef(ref)));
  return new Proxy(mock, {
    get(target, name) {
      if (name === 'getEntityByRef') return getEntityByRef;
      const v = Reflect.get(target, name);
      // the mock's methods use its private fields: call them on the mock
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as CatalogService;
}

/** Until the catalog backend has processed every entity (at most 5 minutes). */
async function untilCatalogHas(port: number, count: number) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const res = await fetch(
      `http://localhost:${port}/api/catalog/entities/by-query?limit=1&filter=kind=component`,
      { headers: { authorization: mockCredentials.user.header() } },
    ).catch(() => undefined);
    const body: any = res?.ok ? await res.json() : undefined;
    if ((body?.totalItems ?? 0) >= count) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    `the catalog did not hold ${count} entities within 5 minutes`,
  );
}

async function main() {
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  const side = process.env.BENCH_SIDE as Side;
  const port = Number(process.env.BENCH_PORT);
  const config = backendConfig(side, {
    port,
    emulatorUrl: process.env.BENCH_EMULATOR_URL!,
    token: process.env.BENCH_EMULATOR_TOKEN!,
  });
  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => new ConfigReader(config),
    }),
  );
  const entities = catalogEntities(
    Number(process.env.BENCH_APPS),
    Number(process.env.BENCH_ENTITIES),
  );
  const realCatalog = process.env.BENCH_CATALOG === 'real';
  if (realCatalog) {
    // the catalog backend itself (SQLite, the entities from a file location);
    // our plugin reaches it over HTTP as in a real backend
    const file = path.join(
      os.tmpdir(),
      `gitops-bench-${process.pid}-entities.yaml`,
    );
    fs.writeFileSync(file, entities.map(e => YAML.stringify(e)).join('---\n'));
    process.on('exit', () => fs.rmSync(file, { force: true }));
    config.catalog = {
      rules: [{ allow: ['Component', 'Location'] }],
      locations: [{ type: 'file', target: file }],
    };
    backend.add(import('@backstage/plugin-catalog-backend'));
  } else {
    backend.add(
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => indexedCatalog(entities),
      }),
    );
  }

  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(mockServices.userInfo.factory());
  if (side === 'community') {
    backend.add(import('@backstage-community/plugin-argocd-backend'));
  } else {
    backend.add(import('../src'));
    // the events service's bus, as packages/backend installs it (every side of ours publishes signals)
    backend.add(import('@backstage/plugin-events-backend'));
    if (process.env.BENCH_SIGNALS === '1')
      backend.add(import('@backstage/plugin-signals-backend'));
  }
  await backend.start();
  if (realCatalog) await untilCatalogHas(port, entities.length);
  const gc = (global as any).gc as undefined | (() => void);
  process.on('message', async (m: any) => {
    if (m === 'memory') {
      if (gc) {
        gc();
        await new Promise(r => setTimeout(r, 50));
        gc();
      }
      const u = process.memoryUsage();
      process.send!({
        type: 'memory',
        heapUsed: u.heapUsed,
        rss: u.rss,
        gc: !!gc,
      });
    }
    if (m === 'cpu') {
      const c = process.cpuUsage();
      process.send!({ type: 'cpu', ms: (c.user + c.system) / 1000 });
    }
    if (m === 'stop') {
      setTimeout(() => process.exit(0), 3000).unref();
      await backend.stop().catch(() => undefined);
      process.exit(0);
    }
  });
  process.send!({ type: 'ready' });
}

main().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
