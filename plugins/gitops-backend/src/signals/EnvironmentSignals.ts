import { LoggerService } from '@backstage/backend-plugin-api';
import type { ArgoApplication } from '../argocd/types';
import type { BindingConfig } from '../binding/types';
import type { PipelineSet } from '../pipeline/Pipeline';
import { applicationFingerprint } from './applicationFingerprint';
import { applicationTargets } from './applicationTargets';

/**
 * One applied watch event of an application mirror (the shape of
 * `mirror/`'s `MirrorChange`; declared here so this folder needs only the
 * event, not the mirror).
 *
 * @internal
 */
export interface ApplicationChange {
  instance: string;
  appName: string;
  appNamespace?: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The application after the event (for DELETED: the last known object). */
  application: ArgoApplication;
}

/** What is subscribed to: the mirrors of every instance (on this replica). @internal */
export interface ApplicationChangeSource {
  subscribe(listener: (change: ApplicationChange) => void): () => void;
}

/** Where an environment change goes (the signal publisher). @internal */
export interface EnvironmentChangeSink {
  environmentChanged(
    entityRef: string,
    environments: string[],
    observedAt: number,
  ): void;
}

/**
 * Turns the mirrors' watch events into "environment changed" signals: finds
 * the entities whose tab shows the application (its binding: the
 * Application's annotation, the `gitops.bindings` rules, and for rules by
 * owner the entities the owner has) and the environment, and tells the
 * publisher, which coalesces per entity.
 *
 * An event that changed nothing a tab shows (Argo CD rewrites its reconcile
 * timestamps and resourceVersion all the time) is dropped: a digest of the
 * rest of each application is kept (see `applicationFingerprint`), one per
 * mirrored application, removed when the application is deleted.
 *
 * Every replica keeps its own mirror, so every replica publishes to the
 * browsers connected to it.
 *
 * @internal
 */
export class EnvironmentSignals {
  readonly #sink: EnvironmentChangeSink;
  readonly #bindings: BindingConfig;
  readonly #pipelines: PipelineSet;
  readonly #ownedBy?: (ownerRef: string) => Promise<string[]>;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #seen = new Map<string, string>();

  constructor(options: {
    sink: EnvironmentChangeSink;
    bindings: BindingConfig;
    pipelines: PipelineSet;
    /** Entities an owner group owns (rules by `owners`); without it those rules signal nobody. */
    ownedBy?: (ownerRef: string) => Promise<string[]>;
    logger: LoggerService;
    now?: () => number;
  }) {
    this.#sink = options.sink;
    this.#bindings = options.bindings;
    this.#pipelines = options.pipelines;
    this.#ownedBy = options.ownedBy;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** Subscribes to the source; returns the unsubscribe function. */
  attach(source: ApplicationChangeSource): () => void {
    return source.subscribe(change => this.onChange(change));
  }

  /** Applications whose digest is kept (memory: one short string each). */
  get trackedApplications(): number {
    return this.#seen.size;
  }

  onChange(change: ApplicationChange): void {
    const observedAt = this.#now();
    const key = `${change.instance}/${change.appNamespace ?? ''}/${
      change.appName
    }`;
    if (change.type === 'DELETED') {
      this.#seen.delete(key);
    } else {
      const digest = applicationFingerprint(change.application);
      if (this.#seen.get(key) === digest) return;
      this.#seen.set(key, digest);
    }
    const targets = applicationTargets(
      change.application,
      change.instance,
      this.#bindings,
      this.#pipelines,
    );
    for (const ref of targets.entityRefs)
      this.#sink.environmentChanged(ref, targets.environments, observedAt);
    if (targets.ownerRefs.length && this.#ownedBy) {
      const ownedBy = this.#ownedBy;
      Promise.all(targets.ownerRefs.map(o => ownedBy(o)))
        .then(lists => {
          for (const ref of new Set(lists.flat()))
            if (!targets.entityRefs.includes(ref))
              this.#sink.environmentChanged(
                ref,
                targets.environments,
                observedAt,
              );
        })
        .catch(e =>
          this.#logger.warn(
            `could not find the entities owned by ${targets.ownerRefs.join(
              ', ',
            )} for a live update of ${change.appName}: ${e}`,
          ),
        );
    }
  }
}
