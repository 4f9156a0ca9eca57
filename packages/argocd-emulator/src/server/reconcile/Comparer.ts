/** Compares desired state (git at the resolved targetRevision) with live state, per app. */
import type { GitopsRepo } from '../../git/GitopsRepo';
import { UnresolvableRevisionError } from '../../git/GitopsRepo';
import { RenderError } from '../../logic/render';
import type { Renderer } from '../render/Renderer';
import { appSources, isMultiSource, resolveSources } from '../render/sources';
import type { AppStore } from '../state/AppStore';
import { Clock, Comparison, iso } from '../state/types';

/** @public */
export class Comparer {
  readonly #store: AppStore;
  readonly #repo: GitopsRepo;
  readonly #renderer: Renderer;
  readonly #clock: Clock;

  constructor(opts: {
    store: AppStore;
    repo: GitopsRepo;
    renderer: Renderer;
    clock: Clock;
  }) {
    this.#store = opts.store;
    this.#repo = opts.repo;
    this.#renderer = opts.renderer;
    this.#clock = opts.clock;
  }

  /** Re-reads git (resolving targetRevision) and recomputes the comparison. */
  async reconcile(
    name: string,
    opts: { hard?: boolean; memo?: Map<string, Promise<string>> } = {},
  ): Promise<void> {
    const st = this.#store.peek(name);
    if (!st || st.imported) return;
    if (opts.hard) this.#renderer.clear();
    const now = this.#clock.now();
    const sources = appSources(st.app);
    const prev = st.comparison;
    let comparison: Comparison;
    let index = 0;
    try {
      if (!sources.length) throw new RenderError('spec.source is required');
      for (; index < sources.length; index++)
        if (!this.#renderer.isOurRepo(sources[index]))
          await this.#renderer.render('HEAD', sources[index], st.app);
      index = 0;
      const shas = await resolveSources(this.#repo, sources, opts.memo);
      const target = isMultiSource(st.app)
        ? await this.#renderer.renderSources(shas, sources, st.app)
        : await this.#renderer.render(shas[0], sources[0], st.app);
      comparison = {
        targetSha: shas.join(','),
        targetShas: shas,
        target,
        reconciledAt: iso(now),
      };
    } catch (e) {
      const of = `source ${index + 1} of ${Math.max(sources.length, 1)}`;
      const msg =
        e instanceof UnresolvableRevisionError
          ? `Failed to load target state: failed to generate manifest for ${of}: rpc error: code = Unknown desc = unable to resolve '${e.revision}' to a commit SHA`
          : `Failed to load target state: failed to generate manifest for ${of}: ${
              (e as Error).message
            }`;
      comparison = { error: msg, reconciledAt: iso(now) };
    }
    st.comparison = comparison;
    if (
      !prev ||
      prev.targetSha !== comparison.targetSha ||
      prev.error !== comparison.error
    )
      this.#store.touch(st);
  }
}
