import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { GITOPS_ANNOTATIONS } from '@internal/plugin-gitops-common';
import { Pipeline } from './Pipeline';
import {
  checkApplicationName,
  checkEnvironmentName,
  checkHelmReleaseName,
  checkLabelSelector,
  checkNamespace,
  checkProjectName,
} from './names';

/** A Helm release named by an entity. @public */
export interface HelmReleaseRef {
  /** Only this environment, or every environment of the pipeline when absent. */
  environment?: string;
  namespace: string;
  name: string;
}

/**
 * What an entity's annotations say about where its applications are. These
 * are claims only: which applications the entity may steer, and under which
 * pipeline, the application side decides (see `binding/`).
 *
 * @public
 */
export interface EntityGitOpsSpec {
  /** The entity's own ref. */
  entityRef: string;
  /** The entity's owners (`spec.owner` and `ownedBy` relations), as refs. */
  owners: string[];
  /** `gitops/pipeline`. */
  pipeline?: string;
  /** `gitops/app`: base name for the pipeline's name template. */
  baseApp?: string;
  /** `argocd/app-name`: explicit application names (comma-separated). */
  appNames?: string[];
  /** `argocd/app-selector`. */
  selector?: string;
  /** `argocd/project-name` (comma-separated). */
  projects?: string[];
  /** `argocd/app-namespace`. */
  appNamespace?: string;
  /** `gitops/instance` or `argocd/instance-name` (comma-separated). */
  instances?: string[];
  /** `gitops/helm-release`. */
  helmReleases: HelmReleaseRef[];
}

function list(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map(s => s.trim())
    .filter(Boolean);
  return items && items.length ? items : undefined;
}

/**
 * Reads the GitOps-relevant annotations of an entity; `undefined` when the
 * entity has none that locate applications. Every name is validated here,
 * before it can reach a URL: a bad one is an InputError (400) naming the
 * annotation, and nothing is sent upstream.
 *
 * @public
 */
export function readEntitySpec(entity: Entity): EntityGitOpsSpec | undefined {
  const a = entity.metadata.annotations ?? {};
  const ref = stringifyEntityRef(entity);
  const check = (
    annotation: string,
    values: string[] | undefined,
    validate: (v: string) => string | undefined,
  ) => {
    for (const v of values ?? []) {
      const problem = validate(v);
      if (problem) {
        throw new InputError(`Annotation ${annotation} of ${ref}: ${problem}`);
      }
    }
    return values;
  };
  const one = (annotation: string) => a[annotation]?.trim() || undefined;
  const single = (
    annotation: string,
    validate: (v: string) => string | undefined,
  ) => {
    const v = one(annotation);
    return v === undefined ? undefined : check(annotation, [v], validate)![0];
  };
  const spec: EntityGitOpsSpec = {
    entityRef: ref,
    owners: ownersOf(entity),
    pipeline: one(GITOPS_ANNOTATIONS.pipeline),
    baseApp: single(GITOPS_ANNOTATIONS.app, checkApplicationName),
    appNames: check(
      GITOPS_ANNOTATIONS.argocdAppName,
      list(a[GITOPS_ANNOTATIONS.argocdAppName]),
      checkApplicationName,
    ),
    selector: single(GITOPS_ANNOTATIONS.argocdAppSelector, checkLabelSelector),
    projects: check(
      GITOPS_ANNOTATIONS.argocdProjectName,
      list(a[GITOPS_ANNOTATIONS.argocdProjectName]),
      checkProjectName,
    ),
    appNamespace: single(GITOPS_ANNOTATIONS.argocdAppNamespace, checkNamespace),
    instances:
      list(a[GITOPS_ANNOTATIONS.instance]) ??
      list(a[GITOPS_ANNOTATIONS.argocdInstanceName]),
    helmReleases: [],
  };
  try {
    spec.helmReleases = parseHelmReleases(a[GITOPS_ANNOTATIONS.helmRelease]);
  } catch (e) {
    throw new InputError(
      `Annotation ${GITOPS_ANNOTATIONS.helmRelease} of ${ref}: ${
        (e as Error).message
      }`,
    );
  }
  if (!spec.baseApp && !spec.appNames && !spec.selector && !spec.projects) {
    return undefined;
  }
  return spec;
}

function ownersOf(entity: Entity): string[] {
  const out = new Set<string>();
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner === 'string' && owner) {
    try {
      out.add(
        stringifyEntityRef(
          parseEntityRef(owner, {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        ),
      );
    } catch {
      // not a ref: owns nothing
    }
  }
  for (const r of entity.relations ?? []) {
    if (r.type === RELATION_OWNED_BY) out.add(r.targetRef);
  }
  return [...out];
}

/**
 * Parses `gitops/helm-release`: comma-separated `[env:]namespace/name` (or
 * `[env:]name` in namespace `default`). Throws an InputError for a namespace
 * that is not a DNS-1123 label, a release name Helm would refuse, or an
 * environment name with path characters.
 *
 * @public
 */
export function parseHelmReleases(value: string | undefined): HelmReleaseRef[] {
  return (list(value) ?? []).map(item => {
    let environment: string | undefined;
    let rest = item;
    const colon = item.indexOf(':');
    if (colon >= 0) {
      environment = item.slice(0, colon).trim();
      rest = item.slice(colon + 1).trim();
    }
    const slash = rest.indexOf('/');
    const ref: HelmReleaseRef =
      slash >= 0
        ? {
            environment,
            namespace: rest.slice(0, slash),
            name: rest.slice(slash + 1),
          }
        : { environment, namespace: 'default', name: rest };
    const problem =
      (ref.environment !== undefined &&
        checkEnvironmentName(ref.environment)) ||
      checkNamespace(ref.namespace) ||
      checkHelmReleaseName(ref.name);
    if (problem) {
      throw new InputError(`'${item}': ${problem}`);
    }
    return ref;
  });
}

/** The application name of an environment from the pipeline's template. @public */
export function applicationNameFor(
  pipeline: Pipeline,
  baseApp: string,
  env: string,
): string {
  return pipeline.applicationName
    .replace(/\{app\}/g, baseApp)
    .replace(/\{env\}/g, env);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Which environment of the pipeline an application belongs to: the value of
 * the pipeline's `environmentLabel` when set on the app, otherwise the
 * environment whose name template matches the app name.
 *
 * @public
 */
export function environmentOfApplication(
  pipeline: Pipeline,
  app: { name: string; labels?: Record<string, string> },
  baseApp?: string,
): string | undefined {
  const envNames = pipeline.environments.map(e => e.name);
  if (pipeline.environmentLabel) {
    const v = app.labels?.[pipeline.environmentLabel];
    if (v !== undefined) {
      return envNames.includes(v) ? v : undefined;
    }
  }
  if (!pipeline.applicationName.includes('{env}')) {
    return envNames.length === 1 ? envNames[0] : undefined;
  }
  // Longest environment names first so `prod-eu` wins over `prod`.
  for (const env of [...envNames].sort((x, y) => y.length - x.length)) {
    const pattern = pipeline.applicationName
      .split(/(\{app\}|\{env\})/)
      .map(part => {
        if (part === '{app}') return baseApp ? escapeRe(baseApp) : '.+';
        if (part === '{env}') return escapeRe(env);
        return escapeRe(part);
      })
      .join('');
    if (new RegExp(`^${pattern}$`).test(app.name)) {
      return env;
    }
  }
  return undefined;
}
