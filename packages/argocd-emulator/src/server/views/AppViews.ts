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
import { appSources, isMultiSource } from '../render/sources';
import { managedFieldsOf } from './managedFields';
import type { AppStore } from '../state/AppStore';
import { AppState, Clock, iso, ListFilters, Scope } from '../state/types';

/** @public */
export class AppViews {
  readonly #store: AppStore;
  readonly #clock: Clock;

  readonly #persistResourceHealth: boolean;

  constructor(opts: {
    store: AppStore;
    clock: Clock;
    /** Argo CD's `controller.resource.health.persist` (default false in 3.x). */
    persistResourceHealth?: boolean;
  }) {
    this.#store = opts.store;
    this.#clock = opts.clock;
    this.#persistResourceHealth = !!opts.persistResourceHealth;
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
    if (!app.metadata.managedFields) {
      const os = app.status!.operationState;
      const statusTime = [
        app.status!.reconciledAt,
        os?.startedAt,
        os?.finishedAt,
      ]
        .filter((t): t is string => typeof t === 'string')
        .sort()
        .pop()!;
      app.metadata.managedFields = managedFieldsOf(
        app,
        st.specChangedAt ?? app.metadata.creationTimestamp ?? statusTime,
        statusTime,
      );
    }
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
        // Argo CD's FilterByRepoP compares Spec.GetSource(): the first of several sources
        st => !filters.repo || appSources(st.app)[0]?.repoURL === filters.repo,
      )
      .filter(
        st =>
          !filters.appNamespace ||
          filters.appNamespace ===
            (st.imported ? namespace : st.app.metadata.namespace ?? namespace),
      )
      .filter(st => matchesLabelSelector(reqs, st.app.metadata.labels))
      .map(st => this.view(st.app.metadata.name));
  }

  /** GET /api/v1/applications: the list as stored (no per-resource health under `appTree`). */
  listAsStored(filters: ListFilters): Application[] {
    return this.list(filters).map(withoutResourceHealth);
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
        comparedTo: comparedTo(app),
        ...(isMultiSource(app)
          ? { revisions: clone(cmp.targetShas) }
          : { revision: cmp.targetSha }),
      };
    } else {
      for (const l of live) {
        if (l.kind === 'Deployment')
          health = worseHealth(health, st.liveMeta.phase);
      }
      status.sync = { status: 'Unknown', comparedTo: comparedTo(app) };
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
    if (!isMultiSource(app)) status.sourceType = 'Helm';
    status.summary = imagesOf(live).length ? { images: imagesOf(live) } : {};
    status.controllerNamespace = this.#store.namespace;
    if (!this.#persistResourceHealth) status.resourceHealthSource = 'appTree';
    return status;
  }
}

/** `status.sync.comparedTo`: `source` or (multi-source) `sources`, and the destination. */
function comparedTo(app: Application) {
  return {
    ...(isMultiSource(app)
      ? { sources: clone(app.spec.sources) }
      : { source: clone(app.spec.source) }),
    destination: clone(app.spec.destination),
  };
}

/**
 * An Application as Argo CD 3.x lists it when resource health is not persisted
 * (`resourceHealthSource: appTree`): `status.resources[]` carry no `health`.
 * argocd-server's List returns the CRs as stored, while Get, Watch, Sync,
 * Rollback and updates put the health back from the resource tree
 * (`inferResourcesStatusHealth`, server/application/application.go v3.5.1).
 */
export function withoutResourceHealth(app: Application): Application {
  if (app.status?.resourceHealthSource !== 'appTree') return app;
  for (const r of app.status.resources ?? []) delete r.health;
  return app;
}
