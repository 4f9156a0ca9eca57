/**
 * Seeds an emulator instance: projects, the GitOps repository's commits (once,
 * under the seed lock), applications deployed at those commits, and Helm CLI
 * releases. Only what is missing is added (state may have been restored).
 */
import type { GitopsRepo } from '../git/GitopsRepo';
import { buildHelmRelease } from '../helm/seedRelease';
import type { Application } from '../logic/types';
import {
  chartYaml,
  commitMessage,
  replaceTag,
  SEED_AUTHORS,
  SeedApp,
  SeedSet,
  valuesYaml,
} from '../seed';
import type { Controller } from '../server/Controller';
import type { KubeSecrets } from '../server/KubeSecrets';
import type { Clock } from '../server/state/types';
import { withSeedLock } from './seedLock';

async function seedRepo(repo: GitopsRepo, seed: SeedSet, now: Date) {
  if (seed.apps.length === 0) return;
  const existing = new Set(await repo.listDir('apps'));
  const missing = seed.apps.filter(app => !existing.has(app.name));
  const events = missing
    .flatMap(app =>
      app.commits.map((c, i) => ({
        app,
        c,
        prev: i > 0 ? app.commits[i - 1].tag : undefined,
      })),
    )
    .sort((a, b) => b.c.hoursAgo - a.c.hoursAgo);
  const texts = new Map<string, string>();
  const commits = events.map(e => {
    const dir = `apps/${e.app.name}`;
    const current = texts.get(e.app.name);
    const values = current
      ? replaceTag(current, e.c.tag)
      : valuesYaml(e.app, e.c.tag);
    texts.set(e.app.name, values);
    const files: Record<string, string> = { [`${dir}/values.yaml`]: values };
    if (!e.prev) files[`${dir}/Chart.yaml`] = chartYaml(e.app);
    return {
      files,
      message: commitMessage(e.app, e.prev, e.c.tag),
      author: SEED_AUTHORS[e.c.author],
      date: new Date(now.getTime() - e.c.hoursAgo * 3600_000),
      tags: [`${e.app.name}/${e.c.tag}`],
    };
  });
  await repo.importCommits(
    commits,
    missing.map(a => `apps/${a.name}`),
  );
}

function appObject(app: SeedApp, repoURL: string): Application {
  const source = {
    repoURL,
    path: `apps/${app.name}`,
    targetRevision: 'main',
    helm: { valueFiles: ['values.yaml'], releaseName: app.component },
  };
  return {
    metadata: {
      name: app.name,
      ...(app.appNamespace ? { namespace: app.appNamespace } : {}),
      labels: { 'app.kubernetes.io/part-of': app.component, env: app.env },
      annotations: {
        'gitops.example.org/component': app.component,
        'gitops.backstage.io/entity-ref': app.binding.entityRef,
        'gitops.backstage.io/pipeline': app.binding.pipeline,
      },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: app.project,
      ...(app.multiSource
        ? {
            // the chart, with its values from the second source (`$values`)
            sources: [
              {
                ...source,
                helm: {
                  ...source.helm,
                  valueFiles: [`$values/apps/${app.name}/values.yaml`],
                },
              },
              { repoURL, targetRevision: 'main', ref: 'values' },
            ],
          }
        : { source }),
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: app.namespace,
      },
      syncPolicy: {
        ...(app.automated
          ? {
              automated: {
                prune: app.automated.prune,
                selfHeal: app.automated.selfHeal,
              },
            }
          : {}),
        syncOptions: ['CreateNamespace=true'],
      },
    },
  };
}

/** Seeds what is missing; Helm releases only when no state was restored. @public */
export async function seedInstance(o: {
  controller: Controller;
  kube: KubeSecrets;
  repo: GitopsRepo;
  seed: SeedSet;
  dataDir: string;
  clock: Clock;
  restored: boolean;
}): Promise<void> {
  const { controller, kube, repo, seed, clock } = o;
  for (const p of seed.projects) {
    if (controller.getProject(p.name)) continue;
    controller.upsertProject({
      metadata: { name: p.name },
      spec: {
        description: p.description,
        syncWindows: p.syncWindows,
        ...(p.sourceNamespaces ? { sourceNamespaces: p.sourceNamespaces } : {}),
      },
    });
  }
  if (!controller.getProject('default')) {
    controller.upsertProject({ metadata: { name: 'default' }, spec: {} });
  }
  const logs = await withSeedLock(o.dataDir, async () => {
    await seedRepo(repo, seed, clock.now());
    return repo.logByDir(
      seed.apps.map(a => `apps/${a.name}`),
      10,
    );
  });
  const memo = new Map<string, Promise<string>>();
  for (const app of seed.apps) {
    if (controller.has(app.name)) continue;
    const log = [...(logs.get(`apps/${app.name}`) ?? [])].reverse();
    await controller.addApplication(appObject(app, repo.repoURL), {
      deployed: log.map(l => ({
        sha: l.sha,
        date: l.date,
        automated: !!app.automated,
        // the person who promoted it (the commit author) started the manual sync
        username: l.authorEmail.split('@')[0] || 'admin',
      })),
      memo,
    });
  }
  for (const rel of o.restored ? [] : seed.helmReleases) {
    const now = clock.now();
    const first = new Date(
      now.getTime() - rel.revisions[0].hoursAgo * 3600_000,
    );
    rel.revisions.forEach((r, i) => {
      const at = new Date(now.getTime() - r.hoursAgo * 3600_000);
      const next = rel.revisions[i + 1];
      const modified = next
        ? new Date(now.getTime() - next.hoursAgo * 3600_000)
        : undefined;
      kube.addRelease(buildHelmRelease(rel, i + 1, r, first, at), at, modified);
    });
  }
}
