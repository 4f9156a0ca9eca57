/**
 * The emulated cluster: applies rendered objects to an app's live state,
 * drives workload health (Progressing for a while after a rollout, then
 * Healthy or Degraded) and out-of-band drift.
 */
import { argoErrors } from '../../logic/errors';
import {
  canonicalJson,
  imagesOf,
  normalizeLive,
  resourceKey,
} from '../../logic/compare';
import { tagOfImage } from '../../logic/syncPlan';
import type { ApplicationSource, KubeObject } from '../../logic/types';
import type { AppStore } from '../state/AppStore';
import { AppState, Clock, iso } from '../state/types';
import { clone, HealthPhase, uidFor } from './liveViews';

/** @public */
export class LiveCluster {
  readonly #store: AppStore;
  readonly #clock: Clock;
  readonly #isBrokenTag: (tag: string) => boolean;
  readonly #healthProgressingMs: number;

  constructor(opts: {
    store: AppStore;
    clock: Clock;
    isBrokenTag: (tag: string) => boolean;
    healthProgressingMs: number;
  }) {
    this.#store = opts.store;
    this.#clock = opts.clock;
    this.#isBrokenTag = opts.isBrokenTag;
    this.#healthProgressingMs = opts.healthProgressingMs;
  }

  /** Health a finished rollout settles on: Degraded when a running image is a broken tag. */
  finalPhase(st: AppState): HealthPhase {
    const images = imagesOf([...st.live.values()]);
    return images.some(i => this.#isBrokenTag(tagOfImage(i)))
      ? 'Degraded'
      : 'Healthy';
  }

  /** Applies objects (`silent`: seeding, no health timer). */
  apply(
    st: AppState,
    objects: KubeObject[],
    sha: string,
    source: ApplicationSource,
    at: Date,
    silent = false,
  ): void {
    let templateChanged = false;
    for (const t of objects) {
      const key = resourceKey(t);
      const prev = st.live.get(key);
      if (prev && canonicalJson(normalizeLive(prev)) === canonicalJson(t))
        continue;
      if (t.kind === 'Deployment') {
        const prevTemplate = prev
          ? canonicalJson((prev as any).spec?.template)
          : '';
        if (prevTemplate !== canonicalJson((t as any).spec?.template))
          templateChanged = true;
      }
      st.live.set(key, {
        ...clone(t),
        metadata: {
          ...clone(t.metadata),
          uid:
            (prev?.metadata.uid as string) ??
            uidFor(`${st.app.metadata.uid}/${key}`),
          resourceVersion: this.#store.nextRv(),
          creationTimestamp:
            (prev?.metadata.creationTimestamp as string) ?? iso(at),
          generation: ((prev?.metadata.generation as number) ?? 0) + 1,
        },
      });
    }
    st.liveMeta.revision = sha;
    st.liveMeta.source = clone(source);
    if (templateChanged) {
      st.liveMeta.deployRevision += 1;
      this.setPhase(st, 'Progressing', at);
      if (!silent) this.scheduleHealth(st);
    }
  }

  setPhase(st: AppState, phase: HealthPhase, at: Date): void {
    st.liveMeta.phase = phase;
    st.liveMeta.phaseSince = iso(at);
  }

  /** After `healthProgressingMs` the rollout settles on its final phase. */
  scheduleHealth(st: AppState): void {
    if (st.healthTimer) clearTimeout(st.healthTimer);
    st.healthTimer = setTimeout(() => {
      st.healthTimer = undefined;
      if (this.#store.stopped) return;
      this.setPhase(st, this.finalPhase(st), this.#clock.now());
      this.#store.touch(st);
    }, this.#healthProgressingMs);
    st.healthTimer.unref?.();
  }

  prune(st: AppState, keys: string[]): void {
    for (const k of keys) st.live.delete(k);
  }

  /** Changes a live object out-of-band (like `kubectl set image`), for self-heal tests. */
  driftImage(name: string, image: string): void {
    const st = this.#store.peek(name);
    if (!st) throw argoErrors.permissionDenied();
    for (const [k, o] of st.live) {
      if (o.kind !== 'Deployment') continue;
      const d: any = clone(o);
      d.spec.template.spec.containers[0].image = image;
      d.metadata.resourceVersion = this.#store.nextRv();
      st.live.set(k, d);
      st.liveMeta.deployRevision += 1;
      this.setPhase(st, 'Progressing', this.#clock.now());
      this.scheduleHealth(st);
    }
    this.#store.touch(st);
  }
}
