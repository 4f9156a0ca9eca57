import { ArgoApplication, ArgoHelmParameter } from '../argocd/types';

/**
 * The Argo CD calls the `argocd` write-back needs (a narrow view of the
 * multi-instance Argo CD client).
 *
 * @internal
 */
export interface ArgoCdPatchClient {
  getApplication(instance: string, name: string): Promise<ArgoApplication>;
  /** `PATCH /api/v1/applications/{name}` with `patch` as a JSON string. */
  patchApplication(
    instance: string,
    name: string,
    request: { patch: string; patchType: 'merge' | 'json' },
  ): Promise<ArgoApplication>;
}

/** Adds or replaces a Helm parameter as `forceString`, keeping the others in order. @internal */
export function upsertHelmParameter(
  params: ArgoHelmParameter[] | undefined,
  name: string,
  value: string,
): { parameters: ArgoHelmParameter[]; previous?: string; changed: boolean } {
  const list = (params ?? []).map(p => ({ ...p }));
  const idx = list.findIndex(p => p.name === name);
  const previous = idx >= 0 ? list[idx].value : undefined;
  const wanted: ArgoHelmParameter = { name, value, forceString: true };
  if (idx >= 0) {
    const same = list[idx].value === value && list[idx].forceString === true;
    list[idx] = wanted;
    return { parameters: list, previous, changed: !same };
  }
  list.push(wanted);
  return { parameters: list, previous, changed: true };
}

/**
 * The patch that sets a Helm parameter on an Application, like the Argo CD
 * Image Updater's `argocd` write-back method. A single-source app gets a
 * merge patch of `spec.source.helm.parameters` (merge patches replace
 * arrays, so the whole list is sent); a multi-source app a JSON patch of the
 * first Helm source.
 *
 * @internal
 */
export function helmParameterPatch(
  app: ArgoApplication,
  name: string,
  value: string,
): {
  patch: string;
  patchType: 'merge' | 'json';
  previous?: string;
  changed: boolean;
} {
  if (app.spec.source || !app.spec.sources?.length) {
    const r = upsertHelmParameter(
      app.spec.source?.helm?.parameters,
      name,
      value,
    );
    return {
      patch: JSON.stringify({
        spec: { source: { helm: { parameters: r.parameters } } },
      }),
      patchType: 'merge',
      previous: r.previous,
      changed: r.changed,
    };
  }
  const i = app.spec.sources.findIndex(s => s.helm || s.chart);
  if (i < 0) {
    throw new Error(
      `application ${app.metadata.name} has no Helm source to set '${name}' on`,
    );
  }
  const source = app.spec.sources[i];
  const r = upsertHelmParameter(source.helm?.parameters, name, value);
  const op = source.helm
    ? {
        op: 'add',
        path: `/spec/sources/${i}/helm/parameters`,
        value: r.parameters,
      }
    : {
        op: 'add',
        path: `/spec/sources/${i}/helm`,
        value: { parameters: r.parameters },
      };
  return {
    patch: JSON.stringify([op]),
    patchType: 'json',
    previous: r.previous,
    changed: r.changed,
  };
}

/** Result of {@link ArgoCdWriteBack.setParameter}. @internal */
export interface ParameterWriteResult {
  changed: boolean;
  previous?: string;
}

/**
 * `argocd` write-back: a Helm parameter override (`forceString`) on the
 * Application, for teams without Git write-back. Idempotent: an app that
 * already has the value is not patched again.
 *
 * @internal
 */
export class ArgoCdWriteBack {
  readonly #client: ArgoCdPatchClient;

  constructor(client: ArgoCdPatchClient) {
    this.#client = client;
  }

  async setParameter(req: {
    instance: string;
    application: string;
    parameter: string;
    value: string;
  }): Promise<ParameterWriteResult> {
    const app = await this.#client.getApplication(
      req.instance,
      req.application,
    );
    const p = helmParameterPatch(app, req.parameter, req.value);
    if (!p.changed) {
      return { changed: false, previous: p.previous };
    }
    await this.#client.patchApplication(req.instance, req.application, {
      patch: p.patch,
      patchType: p.patchType,
    });
    return { changed: true, previous: p.previous };
  }
}
