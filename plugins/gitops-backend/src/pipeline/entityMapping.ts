import { Entity } from '@backstage/catalog-model';
import { GITOPS_ANNOTATIONS } from '@internal/plugin-gitops-common';
import { Pipeline } from './Pipeline';

/** A Helm release named by an entity. @public */
export interface HelmReleaseRef {
  /** Only this environment, or every environment of the pipeline when absent. */
  environment?: string;
  namespace: string;
  name: string;
}

/** What an entity's annotations say about where its applications are. @public */
export interface EntityGitOpsSpec {
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
 * entity has none that locate applications.
 *
 * @public
 */
export function readEntitySpec(entity: Entity): EntityGitOpsSpec | undefined {
  const a = entity.metadata.annotations ?? {};
  const spec: EntityGitOpsSpec = {
    pipeline: a[GITOPS_ANNOTATIONS.pipeline]?.trim() || undefined,
    baseApp: a[GITOPS_ANNOTATIONS.app]?.trim() || undefined,
    appNames: list(a[GITOPS_ANNOTATIONS.argocdAppName]),
    selector: a[GITOPS_ANNOTATIONS.argocdAppSelector]?.trim() || undefined,
    projects: list(a[GITOPS_ANNOTATIONS.argocdProjectName]),
    appNamespace: a[GITOPS_ANNOTATIONS.argocdAppNamespace]?.trim() || undefined,
    instances:
      list(a[GITOPS_ANNOTATIONS.instance]) ??
      list(a[GITOPS_ANNOTATIONS.argocdInstanceName]),
    helmReleases: parseHelmReleases(a[GITOPS_ANNOTATIONS.helmRelease]),
  };
  if (!spec.baseApp && !spec.appNames && !spec.selector && !spec.projects) {
    return undefined;
  }
  return spec;
}

/**
 * Parses `gitops/helm-release`: comma-separated `[env:]namespace/name` (or
 * `[env:]name` in namespace `default`).
 *
 * @public
 */
export function parseHelmReleases(value: string | undefined): HelmReleaseRef[] {
  return (list(value) ?? []).map(item => {
    let environment: string | undefined;
    let rest = item;
    const colon = item.indexOf(':');
    if (colon > 0) {
      environment = item.slice(0, colon).trim();
      rest = item.slice(colon + 1).trim();
    }
    const slash = rest.indexOf('/');
    return slash > 0
      ? {
          environment,
          namespace: rest.slice(0, slash),
          name: rest.slice(slash + 1),
        }
      : { environment, namespace: 'default', name: rest };
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
