/*
 * Mirrors against the real Argo CD emulator (HTTP, git): two replicas see one
 * write; a stream cut while the instance is down resumes and fills the gap;
 * the memory the mirror holds per 1,000 applications is printed (a figure, no assertion).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { EmulatorHandle, startEmulator } from '@internal/argocd-emulator';
import { ArgoApplication } from '../argocd/types';
import { ApplicationMirrors } from './ApplicationMirrors';
import { readPipelines } from '../config/readPipelines';
import { GitOpsStateService } from '../state/GitOpsStateService';
import { MirrorChange } from './types';
import { emulatorReplica } from './__testUtils__/emulatorReplica';

jest.setTimeout(60_000);

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    instance: 'local',
    operationDurationMs: 50,
    healthProgressingMs: 50,
    reconcileIntervalMs: 3_600_000,
  });
});

afterAll(async () => {
  await emu?.stop();
});

const running: ApplicationMirrors[] = [];
afterEach(async () => {
  emu.setFaults({}, true);
  await Promise.all(running.splice(0).map(m => m.stop()));
});

/** One backend replica: its own client, cache and mirrors. */
function replica() {
  const { client, mirrors } = emulatorReplica(emu, { relistIntervalMs: 0 });
  const changes: MirrorChange[] = [];
  mirrors.subscribe(c => changes.push(c));
  running.push(mirrors);
  mirrors.start();
  return { client, mirrors, changes };
}

/** Polls a condition until a deadline (a wait, not a timing assertion). */
async function until<T>(
  what: string,
  fn: () => T | undefined | false | null,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

const param = (a: ArgoApplication | null | undefined, name: string) =>
  a?.spec.source?.helm?.parameters?.find(p => p.name === name)?.value;

describe('mirrors against the emulator', () => {
  it("two replicas: a write through one is in the other's mirror within the event latency", async () => {
    const a = replica();
    const b = replica();
    await until(
      'both live',
      () => a.mirrors.isLive('local') && b.mirrors.isLive('local'),
    );
    const name = 'python-api-base-dev';
    const before = b.mirrors.getApplication('local', name)!;
    expect(
      before.metadata.annotations?.['gitops.backstage.io/entity-ref'],
    ).toBe('component:default/python-api-base');

    // a parameter change through replica A's client
    const spec = (await a.client.getApplication('local', name)).spec;
    const marker = `mirror-${Date.now()}`;
    await a.client.updateSpec('local', name, {
      ...spec,
      source: {
        ...spec.source!,
        helm: {
          ...spec.source!.helm,
          parameters: [
            ...(spec.source!.helm?.parameters ?? []).filter(
              p => p.name !== 'mirror.marker',
            ),
            { name: 'mirror.marker', value: marker },
          ],
        },
      },
    });
    const seen = await until('B sees the parameter', () =>
      param(b.mirrors.getApplication('local', name), 'mirror.marker') === marker
        ? b.mirrors.getApplication('local', name)
        : undefined,
    );
    expect(Number(seen!.metadata.resourceVersion)).toBeGreaterThan(
      Number(before.metadata.resourceVersion),
    );
    expect(
      b.changes.some(c => c.appName === name && c.type === 'MODIFIED'),
    ).toBe(true);

    // a sync through A: B sees the operation finish
    await a.client.sync('local', name, { dryRun: true } as any);
    await until('B sees the finished sync', () => {
      const app = b.mirrors.getApplication('local', name);
      return (
        app?.status?.operationState?.phase === 'Succeeded' && !app.operation
      );
    });
    // what B holds is what Argo CD answers now
    const direct = await b.client.getApplication('local', name);
    const held = b.mirrors.getApplication('local', name)!;
    expect(held.metadata.resourceVersion).toBe(direct.metadata.resourceVersion);
    expect(held.status?.operationState?.phase).toBe(
      direct.status?.operationState?.phase,
    );
    expect(b.mirrors.status()[0]).toMatchObject({
      live: true,
      malformedLines: 0,
      resyncs: 0,
    });
  });

  it('a stream cut while the instance is down resumes from its resourceVersion and fills the gap with a list', async () => {
    const { mirrors } = replica();
    await until('live', () => mirrors.isLive('local'));
    const name = 'python-api-base-staging';
    const before = mirrors.getApplication('local', name)!.status?.sync
      ?.revision;
    expect(before).toMatch(/^[0-9a-f]{40}$/);

    emu.setFaults({ down: true });
    await until('not live', () => !mirrors.isLive('local'));
    // Argo CD moves on while we cannot see it: a commit to the app's folder
    const file = path.join(emu.repoDir, 'apps', name, 'values.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace(/^(\s+tag:\s*)(\S+)/m, '$1v9.8.7'),
    );
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', emu.repoDir, ...args], { encoding: 'utf8' });
    git(
      '-c',
      'user.name=T',
      '-c',
      'user.email=t@example.org',
      'commit',
      '-q',
      '-am',
      'gap',
    );
    const sha = git('rev-parse', 'HEAD').trim();
    expect(sha).not.toBe(before);
    await emu.reconcile();
    // not live: the read side asks Argo CD instead
    expect(mirrors.getApplication('local', name)).toBeUndefined();
    expect(mirrors.listApplications('local')).toBeUndefined();

    emu.setFaults({}, true);
    await until('live again', () => mirrors.isLive('local'));
    // the change made while down came with the list after the resume
    await until(
      'the gap change',
      () =>
        mirrors.getApplication('local', name)?.status?.sync?.revision === sha,
    );
    expect(mirrors.status()[0]).toMatchObject({ resyncs: 0 });
    expect(mirrors.status()[0].reconnects).toBeGreaterThanOrEqual(1);
  });

  it('steady state: entity views read applications from the mirror, with no Argo CD call', async () => {
    const { client, mirrors } = replica();
    const service = GitOpsStateService.create({
      client,
      mirrors,
      pipelines: readPipelines(
        new ConfigReader({
          gitops: {
            pipelines: {
              standard: {
                environments: [
                  { name: 'dev', instance: 'local' },
                  { name: 'staging', instance: 'local', promotesFrom: 'dev' },
                  { name: 'prod', instance: 'local', promotesFrom: 'staging' },
                ],
              },
            },
          },
        }),
        ['local'],
      ),
    });
    const entity = {
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
    };
    await until('live', () => mirrors.isLive('local'));
    const calls = client.getStats().upstreamCalls;
    for (let i = 0; i < 10; i++) {
      const view = await service.getEnvironments(entity);
      expect(
        view.environments.map(e => [e.name, e.freshness?.source, e.error]),
      ).toEqual([
        ['dev', 'mirror', undefined],
        ['staging', 'mirror', undefined],
        ['prod', 'mirror', undefined],
      ]);
    }
    expect(client.getStats().upstreamCalls).toBe(calls);
  });

  it('memory held per 1,000 applications (printed)', async () => {
    const { mirrors } = replica();
    await until('live', () => mirrors.isLive('local'));
    const s = mirrors.status()[0];
    const perApp = s.approxBytes / Math.max(s.boundApps, 1);
    // eslint-disable-next-line no-console
    console.log(
      `mirror: ${s.apps} applications (${s.boundApps} bound), ~${
        s.approxBytes
      } bytes held (JSON estimate), ~${((perApp * 1000) / 1024 / 1024).toFixed(
        1,
      )} MB per 1,000 bound applications`,
    );
    expect(s.boundApps).toBeGreaterThan(0);
  });
});
