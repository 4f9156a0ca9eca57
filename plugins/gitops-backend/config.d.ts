/*
 * Configuration schema of @internal/plugin-gitops-backend.
 *
 * Sections are owned by different parts of the plugin; each keeps its keys in
 * its own interface block below and they are merged into `Config`.
 */

// ---------------------------------------------------------------------------
// Read side: Argo CD instances, Helm clusters, cache, pipelines (src/argocd,
// src/helm, src/cache, src/pipeline)
// ---------------------------------------------------------------------------

/** One Argo CD instance. */
interface GitopsArgoCdInstanceConfig {
  /** Name used by pipelines (`environments[].instance`) and the `argocd/instance-name` annotation. */
  name: string;
  /** Base URL of the Argo CD API server, e.g. `https://argocd.example.com`. */
  url: string;
  /** Base URL for links shown to people (defaults to `url`). */
  externalUrl?: string;
  /**
   * Argo CD API token (an account or project-role JWT). Takes precedence over
   * username/password.
   * @visibility secret
   */
  token?: string;
  /** Local Argo CD account; one session is created and reused, renewed on 401. */
  username?: string;
  /**
   * Password of `username`.
   * @visibility secret
   */
  password?: string;
  /** Time budget of one call to this instance, retries included (e.g. `5s`). Default 10s. */
  timeout?: string | import('@backstage/types').HumanDuration;
  /** Most parallel calls to this instance. Default 8. */
  concurrency?: number;
}

/** A Kubernetes cluster whose Helm release Secrets are read. */
interface GitopsHelmClusterConfig {
  /** Name used by `environments[].helmCluster`. */
  name: string;
  /** Kubernetes API server URL. */
  url: string;
  /**
   * Bearer token of a service account with get/list on Secrets in the release namespaces.
   * @visibility secret
   */
  token?: string;
  /** Base64 PEM of the API server's CA. */
  caData?: string;
  /** Skip TLS verification (development only). */
  skipTLSVerify?: boolean;
  /** Time budget of one call (e.g. `5s`). Default 10s. */
  timeout?: string | import('@backstage/types').HumanDuration;
}

/** Read-side keys of one pipeline environment. */
interface GitopsPipelineEnvironmentReadConfig {
  /** Environment name, e.g. `prod`; unique in the pipeline. */
  name: string;
  /** The environment listed earlier in the same pipeline whose versions this one takes. */
  promotesFrom?: string;
  /** Argo CD instance running this environment's apps; an entity's `gitops/instance` / `argocd/instance-name` overrides it. */
  instance?: string;
  /** Helm cluster for this environment's Helm releases; defaults to the cluster named like `instance`, else the only cluster. */
  helmCluster?: string;
}

/** Read-side keys of one pipeline. */
interface GitopsPipelineReadConfig {
  /** Application name template with `{app}` (the entity's `gitops/app`) and `{env}`. Default `{app}-{env}`. */
  applicationName?: string;
  /** Argo CD application label whose value names the environment (for apps found by selector, project or name). */
  environmentLabel?: string;
  /** Environments in promotion order. */
  environments: GitopsPipelineEnvironmentReadConfig[];
}

export interface Config {
  /** GitOps plugin configuration. */
  gitops?: {
    /** Argo CD access. */
    argocd?: {
      /** Argo CD instances. */
      instances?: GitopsArgoCdInstanceConfig[];
    };
    /** Helm release history (Helm CLI/SDK releases) read from Kubernetes. */
    helm?: {
      /** Kubernetes clusters. */
      clusters?: GitopsHelmClusterConfig[];
    };
    /** Read cache. */
    cache?: {
      /** Time to live of cached Argo CD / Kubernetes reads, e.g. `5s`; `0s` disables caching. Default 5s. */
      ttl?: string | import('@backstage/types').HumanDuration;
    };
    /** Pipeline used for entities without a `gitops/pipeline` annotation. */
    defaultPipeline?: string;
    /** Promotion pipelines by name. */
    pipelines?: {
      [name: string]: GitopsPipelineReadConfig;
    };
  };

  /** Compatibility with the Roadie / community Argo CD plugins' backend config. */
  argocd?: {
    /** Global Argo CD username used by instances that name no credentials. */
    username?: string;
    /**
     * Global Argo CD password.
     * @visibility secret
     */
    password?: string;
    /** App locator methods; only `type: config` is read. */
    appLocatorMethods?: Array<{
      /** Locator type; `config` lists instances below. */
      type: string;
      /** Argo CD instances (same keys as `gitops.argocd.instances`, plus `frontendUrl`). */
      instances?: Array<{
        /** Instance name. */
        name: string;
        /** API base URL. */
        url: string;
        /**
         * API token.
         * @visibility secret
         */
        token?: string;
        /** Username. */
        username?: string;
        /**
         * Password.
         * @visibility secret
         */
        password?: string;
        /** UI base URL for links. */
        frontendUrl?: string;
      }>;
    }>;
  };
}
