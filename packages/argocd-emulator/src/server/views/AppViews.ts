/**
 * The Application as the API returns it: status composed from the
 * comparison, live state, history and operation (cached per resourceVersion),
 * and the filtered list.
 */
import { argoErrors } from '../../logic/errors';
import {
  appSyncStatus,
  compareResources,
  HealthCode,
  imagesOf,
  worseHealth,
} from '../../logic/compare';
import {
  LabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
} from '../../logic/labelSelector';
import type { Application } from '../../logic/types';
import { clone, resourceHealth } from '../live/liveViews';
import type { AppStore } from '../state/AppStore';
import { AppState, Clock, iso, ListFilters, Scope } from '../state/types';

/** @public */
export class AppViews {
  readonly #store: AppStore;
  readonly #clock: Clock;

  constructor(opts: { store: AppStore; clock: Clock }) {
    this.#store = opts.store;
    this.#clock = opts.clock;
  }

  /** The Application as the API returns it (with `scope`: after Argo CD's access rules). */
  view(name: string, scope?: Scope): Application {
    const st = scope ? this.#store.lookup(name, scope) : this.#store.peek(name);
    if (!st) throw argoErrors.permissionDenied();
    const app = clone(st.app);
    if (st.imported) {
      const status = clone(st.imported);
      status.history = clone(st.history);
      if (st.operationState) status.operationState = clone(st.operationState);
      else delete status.operationState;
      return { ...app, status };
    }
    const key = `${st.app.metadata.resourceVersion}|${
      st.comparison?.reconciledAt ?? ''
    }`;
    if (st.statusCache?.key !== key)
      st.statusCache = { key, json: JSON.stringify(this.#status(st)) };
    app.status = JSON.parse(st.statusCache.json);
    return app;
  }

  list(filters: ListFilters): Application[] {
    let reqs: ReturnType<typeof parseLabelSelector>;
    try {
      reqs = parseLabelSelector(filters.selector ?? '');
    } catch (e) {
      if (e instanceof LabelSelectorError)
        throw argoErrors.invalidArgument(
          `error parsing the selector: ${e.message}`,
        );
      throw e;
    }
    const namespace = this.#store.namespace;
    return this.#store
      .names()
      .map(n => this.#store.peek(n)!)
      .filter(st => !filters.name || st.app.metadata.name === filters.name)
      .filter(
        st =>
          !filters.projects?.length ||
          filters.projects.includes(st.app.spec.project),
      )
      .filter(
        st => !filters.repo || st.app.spec.source?.repoURL === filters.repo,
      )
      .filter(() => !filters.appNamespace || filters.appNamespace === namespace)
      .filter(st => matchesLabelSelector(reqs, st.app.metadata.labels))
      .map(st => this.view(st.app.metadata.name));
  }

  #status(st: AppState): Record<string, any> {
    const app = st.app;
    const cmp = st.comparison;
    const live = [...st.live.values()];
    const status: Record<string, any> = {};
    let health: HealthCode = 'Healthy';
    if (cmp?.target) {
      const comps = compareResources(cmp.target, live);
      status.resources = comps.map(c => {
        const h = resourceHealth(st.liveMeta, c);
        if (h) health = worseHealth(health, h.status);
        return {
          ...(c.group ? { group: c.group } : {}),
          version: c.version,
          kind: c.kind,
          namespace: c.namespace,
          name: c.name,
          status: c.status,
          ...(h ? { health: h } : {}),
          ...(c.requiresPruning ? { requiresPruning: true } : {}),
        };
      });
      status.sync = {
        status: appSyncStatus(comps),
        comparedTo: {
          source: clone(app.spec.source),
          destination: clone(app.spec.destination),
        },
        revision: cmp.targetSha,
      };
    } else {
      for (const l of live) {
        if (l.kind === 'Deployment')
          health = worseHealth(health, st.liveMeta.phase);
      }
      status.sync = {
        status: 'Unknown',
        comparedTo: {
          source: clone(app.spec.source),
          destination: clone(app.spec.destination),
        },
      };
      if (cmp?.error)
        status.conditions = [
          {
            type: 'ComparisonError',
            message: cmp.error,
            lastTransitionTime: cmp.reconciledAt,
          },
        ];
    }
    const now = this.#clock.now();
    if (st.lastHealth !== health) {
      st.lastHealth = health;
      st.healthTransition =
        health === 'Progressing' ||
        health === 'Degraded' ||
        health === 'Healthy'
          ? st.liveMeta.phaseSince
          : iso(now);
    }
    status.health = { status: health, lastTransitionTime: st.healthTransition };
    if (st.history.length) status.history = clone(st.history);
    status.reconciledAt = cmp?.reconciledAt ?? iso(now);
    if (st.operationState) status.operationState = clone(st.operationState);
    status.sourceType = 'Helm';
    status.summary = imagesOf(live).length ? { images: imagesOf(live) } : {};
    status.controllerNamespace = this.#store.namespace;
    status.resourceHealthSource = 'appTree';
    return status;
  }
}
