/**
 * Desired state: renders an app's Helm chart from the GitOps repository at a
 * commit (Chart.yaml + value files), with a bounded cache. Multi-source apps
 * (`spec.sources`): every source with a `path` is a chart; a source with a
 * `ref` provides value files named `$<ref>/<path>` to the others, read at that
 * source's own revision (Argo CD's "value files from an external Git repository").
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GitopsRepo } from '../../git/GitopsRepo';
import { canonicalJson } from '../../logic/compare';
import {
  ChartMeta,
  effectiveValues,
  isHook,
  RenderError,
  renderManifests,
} from '../../logic/render';
import type {
  Application,
  ApplicationSource,
  KubeObject,
} from '../../logic/types';
import { clone } from '../live/liveViews';

/** @public */
export class Renderer {
  readonly #repo: GitopsRepo;
  readonly #cache = new Map<string, KubeObject[]>();

  constructor(repo: GitopsRepo) {
    this.#repo = repo;
  }

  /** Whether `source` points at the emulator's GitOps repository. */
  isOurRepo(source: ApplicationSource | undefined): boolean {
    if (!source?.repoURL) return false;
    const url = source.repoURL.replace(/\/+$/, '').replace(/\.git$/, '');
    const ours = this.#repo.repoURL.replace(/\/+$/, '');
    return url === ours || url === path.resolve(this.#repo.dir);
  }

  /** Renders every chart source of a multi-source app; `shas[i]` is source i's revision. */
  async renderSources(
    shas: string[],
    sources: ApplicationSource[],
    app: Application,
  ): Promise<KubeObject[]> {
    const refs = new Map<string, string>();
    sources.forEach((src, i) => {
      if (typeof src.ref === 'string' && src.ref) refs.set(src.ref, shas[i]);
    });
    const out: KubeObject[] = [];
    for (let i = 0; i < sources.length; i++) {
      if (!sources[i].path && !sources[i].chart) continue; // a pure `ref` source
      out.push(...(await this.render(shas[i], sources[i], app, refs)));
    }
    return out;
  }

  /** The app's resources at a commit (resource hooks left out, as Argo CD compares them). */
  async render(
    sha: string,
    source: ApplicationSource,
    app: Application,
    refs: Map<string, string> = new Map(),
  ): Promise<KubeObject[]> {
    return (await this.#renderAll(sha, source, app, refs)).filter(
      o => !isHook(o),
    );
  }

  /** The chart's resource hooks at a commit (run by a sync, e.g. a PostSync Job). */
  async renderHooks(
    sha: string,
    source: ApplicationSource,
    app: Application,
  ): Promise<KubeObject[]> {
    return (await this.#renderAll(sha, source, app, new Map())).filter(isHook);
  }

  async #renderAll(
    sha: string,
    source: ApplicationSource,
    app: Application,
    refs: Map<string, string>,
  ): Promise<KubeObject[]> {
    if (!this.isOurRepo(source)) {
      throw new RenderError(
        `rpc error: code = Unknown desc = repository not accessible: repositories not accessible: &Repository{Repo: "${
          source?.repoURL ?? ''
        }"}: the emulator only serves ${this.#repo.repoURL}`,
      );
    }
    const dest = app.spec.destination ?? {};
    const namespace = dest.namespace ?? 'default';
    const key = `${sha}|${canonicalJson({
      ...source,
      targetRevision: undefined,
    })}|${app.metadata.name}|${namespace}|${canonicalJson([...refs])}`;
    const cached = this.#cache.get(key);
    if (cached) return clone(cached);
    const dir = (source.path ?? '').replace(/^\.?\/*/, '').replace(/\/+$/, '');
    const chartText = await this.#repo.readAt(
      sha,
      `${dir ? `${dir}/` : ''}Chart.yaml`,
    );
    if (chartText === undefined) {
      throw new RenderError(
        `${dir || '.'}: Chart.yaml not found at revision ${sha}`,
      );
    }
    let chart: ChartMeta;
    try {
      chart = parseYaml(chartText) as ChartMeta;
    } catch (e) {
      throw new RenderError(
        `failed to parse Chart.yaml: ${(e as Error).message}`,
      );
    }
    if (!chart?.name || !chart.version)
      throw new RenderError('Chart.yaml: name and version are required');
    const files: { name: string; text: string }[] = [];
    for (const f of source.helm?.valueFiles ?? ['values.yaml']) {
      const ref = /^\$([^/]+)\/(.+)$/.exec(f);
      if (ref && !refs.has(ref[1]))
        throw new RenderError(
          `${f}: no source with ref '${ref[1]}' in spec.sources`,
        );
      const rel = ref
        ? path.posix.normalize(ref[2])
        : path.posix.normalize(`${dir ? `${dir}/` : ''}${f}`);
      const text = await this.#repo.readAt(ref ? refs.get(ref[1])! : sha, rel);
      if (text === undefined) {
        if (source.helm?.ignoreMissingValueFiles) continue;
        throw new RenderError(`open ${rel}: no such file or directory`);
      }
      files.push({ name: rel, text });
    }
    const values = effectiveValues(files, source);
    const manifests = renderManifests({
      appName: app.metadata.name,
      releaseName: source.helm?.releaseName,
      namespace,
      chart,
      values,
    });
    if (this.#cache.size >= 2000) this.#cache.clear(); // bound memory in long runs
    this.#cache.set(key, manifests);
    return clone(manifests);
  }

  clear(): void {
    this.#cache.clear();
  }
}
