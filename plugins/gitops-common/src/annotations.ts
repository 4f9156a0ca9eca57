/**
 * Entity annotations the GitOps plugin reads.
 *
 * Our own annotations come first; the `argocd/*` ones are those that catalogs
 * already carry for the Roadie and community Argo CD plugins, so existing
 * entities work without edits.
 *
 * @public
 */
export const GITOPS_ANNOTATIONS = {
  /** Base application name; environment apps are found through the pipeline's name template, e.g. `{app}-{env}`. */
  app: 'gitops/app',
  /** Pipeline name from `gitops.pipelines`; the configured default pipeline when absent. */
  pipeline: 'gitops/pipeline',
  /** Argo CD instance name (overrides the pipeline environment's instance). */
  instance: 'gitops/instance',
  /** Helm release (installed with the Helm CLI/SDK) whose history is merged into the timeline, `name` or `namespace/name`. */
  helmRelease: 'gitops/helm-release',
  /** Community/Roadie: a single Argo CD app name, or a comma-separated list. */
  argocdAppName: 'argocd/app-name',
  /** Community/Roadie: a Kubernetes label selector matched against Argo CD apps. */
  argocdAppSelector: 'argocd/app-selector',
  /** Community/Roadie: the Argo CD instance name. */
  argocdInstanceName: 'argocd/instance-name',
  /** Community/Roadie: the Argo CD project of the app(s). */
  argocdProjectName: 'argocd/project-name',
  /** Community/Roadie: the namespace of the Application objects (apps-in-any-namespace). */
  argocdAppNamespace: 'argocd/app-namespace',
} as const;

/**
 * The `infos[].name` stamped on every Argo CD operation we start, so that a
 * running operation can be recognised as ours.
 *
 * @public
 */
export const GITOPS_CHANGE_INFO_NAME = 'gitops-change';
