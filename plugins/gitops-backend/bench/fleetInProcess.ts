/* eslint-disable no-console */
/**
 * `bench:fleet --in-process`: the fleet service in this process, without
 * HTTP or other processes, so that its cost can be read apart from a busy
 * machine: process CPU time per view next to wall time. The same pieces as
 * the route (the fleet's read side with the benchmark's pipelines and
 * bindings, the catalog mock with the generated entities, the policy
 * windows), over a live mirror double holding the generated applications
 * (one image tag each: the version identity comes from the only image).
 */
import { ConfigReader } from '@backstage/config';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ArgoCdClient } from '../src/argocd/ArgoCdClient';
import { ArgoApplication } from '../src/argocd/types';
import { ReadCache } from '../src/cache/ReadCache';
import { readGitopsConfig } from '../src/config';
import { createFleetCatalog } from '../src/fleet/catalogEntities';
import { createFleetReadSide } from '../src/fleet/fleetReadSide';
import { FleetService } from '../src/fleet/FleetService';
import { createFleetStateSource } from '../src/fleet/stateSource';
import { ApplicationMirrors } from '../src/mirror/ApplicationMirrors';
import {
  backendConfig,
  catalogEntities,
  component,
  environmentsOf,
} from './benchConfig';
import { fmt, pct } from './stats';

function generatedApps(apps: number, entities: number): ArgoApplication[] {
  const out: ArgoApplication[] = [];
  for (let i = 0; i < entities; i++) {
    for (const env of environmentsOf(i, apps, entities)) {
      const name = `${component(i)}-${env}`;
      out.push({
        metadata: {
          name,
          namespace: 'argocd',
          annotations: {
            'gitops.backstage.io/entity-ref': `component:default/${component(
              i,
            )}`,
          },
        },
        spec: {
          project: 'default',
          source: { repoURL: 'https://git.example.org/gitops.git', path: name },
          destination: { namespace: component(i) },
        },
        status: {
          sync: { status: 'Synced', revision: 'a'.repeat(40) },
          health: { status: 'Healthy' },
          summary: {
            images: [`images.example.org/${component(i)}:v1.${i % 5}.0`],
          },
          history: [],
        },
      } as ArgoApplication);
    }
  }
  return out;
}

export async function fleetInProcess(o: {
  apps: number;
  entities: number;
  runs: number;
  requests: number;
}) {
  const apps = generatedApps(o.apps, o.entities);
  const byName = new Map(apps.map(a => [a.metadata.name, a]));
  const mirrors = {
    enabled: true,
    isLive: () => true,
    getApplication: (_instance: string, name: string) =>
      byName.get(name) ?? null,
    listApplications: () => apps,
  } as unknown as ApplicationMirrors;
  const config = readGitopsConfig(
    new ConfigReader(
      backendConfig('mirror', {
        port: 7007,
        emulatorUrl: 'http://argocd.invalid',
        token: 'unused',
      }) as any,
    ),
  );
  const client = ArgoCdClient.create({
    instances: config.instances,
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
  const fleet = FleetService.create({
    catalog: createFleetCatalog(
      catalogServiceMock({
        entities: catalogEntities(o.apps, o.entities),
      }),
    ),
    state: createFleetStateSource(
      createFleetReadSide({
        client,
        pipelines: config.pipelines,
        bindings: config.bindings,
        mirrors,
      }),
    ),
    changes: { listOpenChanges: async () => [] },
    windows: (p, e) =>
      config.policies.pipelines.get(p)?.environments.find(x => x.name === e)
        ?.windows,
  });
  const credentials = mockCredentials.user();
  const view = async () => JSON.stringify(await fleet.list({}, credentials));
  const calls = () => client.getStats().upstreamCalls;
  await view();
  console.log(
    `in-process: ${o.entities} entities, ${apps.length} apps (live mirror double, catalog mock); ${o.runs} runs × ${o.requests} views`,
  );
  for (let run = 1; run <= o.runs; run++) {
    await view();
    const wall: number[] = [];
    const before = calls();
    const cpu0 = process.cpuUsage();
    for (let k = 0; k < o.requests; k++) {
      const t = performance.now();
      await view();
      wall.push(performance.now() - t);
    }
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `run ${run}: wall p50 ${fmt(pct(wall, 50))} ms, p99 ${fmt(
        pct(wall, 99),
      )} ms; process CPU ${fmt(
        (cpu.user + cpu.system) / 1000 / o.requests,
      )} ms per view (JSON included); Argo CD calls: ${calls() - before}`,
    );
  }
}
