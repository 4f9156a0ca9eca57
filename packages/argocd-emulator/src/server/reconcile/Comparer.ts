/** Compares desired state (git at the resolved targetRevision) with live state, per app. */
import type { GitopsRepo } from '../../git/GitopsRepo';
import { UnresolvableRevisionError } from '../../git/GitopsRepo';
import { RenderError } from '../../logic/render';
import type { Renderer } from '../render/Renderer';
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
    const source = st.app.spec.source;
    const prev = st.comparison;
    let comparison: Comparison;
    try {
      if (!source)
        throw new RenderError(
          'spec.source is required (multi-source apps are not emulated)',
        );
      if (!this.#renderer.isOurRepo(source))
        await this.#renderer.render('HEAD', source, st.app);
      const rev = source.targetRevision ?? '';
      let pending = opts.memo?.get(rev);
      if (!pending) {
        pending = this.#repo.resolve(rev);
        opts.memo?.set(rev, pending);
      }
      const sha = await pending;
      const target = await this.#renderer.render(sha, source, st.app);
      comparison = { targetSha: sha, target, reconciledAt: iso(now) };
    } catch (e) {
      const msg =
        e instanceof UnresolvableRevisionError
          ? `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = unable to resolve '${e.revision}' to a commit SHA`
          : `Failed to load target state: failed to generate manifest for source 1 of 1: ${
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
