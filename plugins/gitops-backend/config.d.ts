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
  /** Repository of the application's own image in this environment (overrides the pipeline's `image`). */
  image?: string;
}

/** Read-side keys of one pipeline. */
interface GitopsPipelineReadConfig {
  /** Application name template with `{app}` (the entity's `gitops/app`) and `{env}`. Default `{app}-{env}`. */
  applicationName?: string;
  /** Argo CD application label whose value names the environment (for apps found by selector, project or name). */
  environmentLabel?: string;
  /**
   * Repository of the application's own image, without tag, e.g.
   * `images.example.org/shop/{app}` (`{app}`, `{env}`, `{appName}` are replaced).
   * The running version is this image's tag among the app's live images
   * (never a sidecar's or an init container's). Without it: the entity's
   * `gitops/image` annotation, else `image.repository` next to the write-back key.
   */
  image?: string;
  /** Environments in promotion order. */
  environments: Array<
    GitopsPipelineEnvironmentReadConfig &
      GitopsPipelineEnvironmentExecutionConfig &
      GitopsPipelineEnvironmentPolicyConfig
  >;
}

// ---------------------------------------------------------------------------
// Execution: git write-back, per-environment write-back and sync settings,
// execution timings (src/writeback, src/execution)
// ---------------------------------------------------------------------------

/** A GitOps repository the `git` write-back commits to. */
interface GitopsGitRepositoryConfig {
  /** Name used by `environments[].writeBack.repository`. */
  name: string;
  /**
   * Clone URL (`https://…`; credentials come from Backstage's `integrations`
   * config for that host), or a local path (relative to the backend's working
   * directory) of a repository, e.g. the embedded `../../.gitops-data/gitops-repo`.
   */
  url: string;
  /** Branch written to and deployed from. Default `main`. */
  branch?: string;
}

/** Execution keys of one pipeline environment. */
interface GitopsPipelineEnvironmentExecutionConfig {
  /** How a promotion's version is written (a rollback reverts it). Without it the environment only takes `sync` changes and Argo CD history rollbacks. */
  writeBack?: {
    /** `git`: commit into the environment's values file; `argocd`: Helm parameter override on the Application. */
    method: 'git' | 'argocd';
    /** `git`: repository name from `gitops.git.repositories`. */
    repository?: string;
    /** `git`: values file in the repository; `{app}`, `{env}` and `{appName}` are replaced, e.g. `apps/{app}-{env}/values.yaml`. */
    path?: string;
    /** `git`: dot path of the image tag in the values file. Default `image.tag`. */
    key?: string;
    /** `argocd`: Helm parameter set with `forceString`. Default `image.tag`. */
    parameter?: string;
  };
  /** Sync options of changes to this environment. */
  sync?: {
    /** Prune resources no longer in Git when syncing. Default false. */
    prune?: boolean;
  };
  /** Rollback options. */
  rollback?: {
    /**
     * Argo CD refuses a history rollback while auto-sync is on; when true the
     * executor turns auto-sync off first and records it on the change. Default false.
     */
    allowDisableAutoSync?: boolean;
  };
}

/** `gitops.git`. */
interface GitopsGitConfig {
  /** Repositories the `git` write-back commits to. */
  repositories?: GitopsGitRepositoryConfig[];
  /** Directory of the working clones (caches; one per process). Default: a per-process directory under the OS temp dir. */
  workDir?: string;
  /** Committer identity (the author is the requester). Default `Backstage GitOps <gitops@backstage.invalid>`. */
  committer?: {
    /** Committer name. */
    name?: string;
    /** Committer e-mail. */
    email?: string;
  };
  /** Attempts of fetch → edit → commit → push when the push is rejected as non-fast-forward. Default 5. */
  maxPushAttempts?: number;
}

/** `gitops.execution`: timings of change execution (durations like `30s` or `{ minutes: 10 }`). */
interface GitopsExecutionConfig {
  /** First poll interval while following an operation. Default 1s. */
  pollInterval?: string | import('@backstage/types').HumanDuration;
  /** Poll interval cap (grows ×1.5 per poll). Default 10s. */
  maxPollInterval?: string | import('@backstage/types').HumanDuration;
  /** How long to wait for another operation on the app before ours. Default 10m. */
  busyTimeout?: string | import('@backstage/types').HumanDuration;
  /** A dry-run or sync operation must finish within this. Default 15m. */
  operationTimeout?: string | import('@backstage/types').HumanDuration;
  /** After the sync, the app must turn Healthy (or Degraded) within this. Default 10m. */
  healthTimeout?: string | import('@backstage/types').HumanDuration;
  /** Execution lease of a backend process on a change, renewed while it runs. Default 60s. */
  leaseDuration?: string | import('@backstage/types').HumanDuration;
  /** How often runnable changes are picked up. Default 15s. */
  schedulerFrequency?: string | import('@backstage/types').HumanDuration;
  /** When Argo CD itself blocks a sync by window, retry after this. Default 5m. */
  windowRetry?: string | import('@backstage/types').HumanDuration;
  /** Changes one backend process executes at once. Default 4. */
  maxConcurrent?: number;
}

// ---------------------------------------------------------------------------
// Policy: what may run where, when, and with whose approval (src/policy,
// src/windows). Validated at startup; a wrong policy stops the backend with
// the key path and the reason.
// ---------------------------------------------------------------------------

/** A sync window of the policy (evaluated like Argo CD's: deny beats allow; when any allow window exists, one must be active). */
interface GitopsPolicyWindowConfig {
  /** `allow`: changes may run while active; `deny`: changes may not run while active. */
  kind: 'allow' | 'deny';
  /** 5-field cron (minute hour day-of-month month day-of-week) of the window starts, e.g. `0 6 * * 1-5`. */
  schedule: string;
  /** How long each window lasts from its start, e.g. `12h`, `1h30m`. */
  duration: string;
  /** IANA time zone of `schedule`, e.g. `Europe/Berlin`. Default `UTC`. */
  timeZone?: string;
  /** Text for people, e.g. `office hours`. */
  description?: string;
}

/** Policy keys of one pipeline environment. */
interface GitopsPipelineEnvironmentPolicyConfig {
  /** Regular expression every version deployed here must match, e.g. `^v\d+\.\d+\.\d+$`. */
  tagPattern?: string;
  /** Tags never accepted (case-insensitive), e.g. `[stable]`. `latest` is always forbidden. */
  forbiddenTags?: string[];
  /** Versions must be strict semantic versions (`vX.Y.Z[-pre.N]`, dotted prerelease ids). Default false. */
  requireSemver?: boolean;
  /** The `promotesFrom` environment must be Healthy to promote out of it. Default false. */
  sourceMustBeHealthy?: boolean;
  /**
   * The version (same X.Y.Z, e.g. `v1.2.0-rc.3` for `v1.2.0`) must have run healthy in the
   * `promotesFrom` environment — hotfixes too. `true`, or an object with a soak time.
   */
  requireRunInPrevious?:
    | boolean
    | {
        /** How long it must have run there (now Healthy, or in history before being replaced), e.g. `1h`. Default `0s`. */
        soakTime?: string;
      };
  /**
   * A promoted tag must exist in the image registry (`gitops.registries`) of the
   * application's image (check `image-exists`); when the registry cannot be asked
   * the check reports "unavailable" and does not pass. Default false.
   */
  requireImageExists?: boolean;
  /**
   * The promoted tag's manifest digest must equal the digest of a version with the
   * same X.Y.Z that ran in `promotesFrom` (e.g. `v1.2.0` = `v1.2.0-rc.2`), so this
   * environment gets the bits that ran there (check `same-digest`). Implies
   * `requireImageExists`. Default false.
   */
  requireSameDigest?: boolean;
  /** A dry-run sync runs and must succeed before the real sync. Default false. */
  dryRunRequired?: boolean;
  /** The environment's Argo CD application must not auto-sync (a failing check otherwise). Default false. */
  manualSyncRequired?: boolean;
  /** Approval gate; without it changes here need no approval. */
  approvals?: {
    /** Distinct approvals needed; the requester never counts. Default 1. */
    min?: number;
    /** User or group entity refs (e.g. `group:default/platform-team`); a user matches directly or through group membership. */
    approvers?: string[];
    /** Self-approval is always forbidden; only `false` is accepted. */
    allowSelfApproval?: boolean;
    /** How long a request waits for approvals, and how long one approval stays valid, e.g. `24h`. Default: no expiry. */
    expiresAfter?: string;
  };
  /** Sync windows of the environment. */
  windows?: GitopsPolicyWindowConfig[];
  /** Also apply Argo CD's own sync windows of the application (`…/syncwindows`). Default true. */
  useArgoCdWindows?: boolean;
  /** Emergency override: bypasses the policy's sync windows (never the version rules); a reason is always required. */
  override?: {
    /** User or group refs that may request an override. */
    allowed: string[];
    /** User or group refs of whom `minApprovals` must approve the override. */
    approvers?: string[];
    /** Approvals of the override needed from `approvers`. Default 1 when approvers are set. */
    minApprovals?: number;
    /** Further checks the override bypasses besides `sync-window`: only `source-healthy` is possible. */
    bypass?: string[];
  };
  /**
   * How a version running here is verified (see the README, "Verification").
   * Set at least one of `signOff` and `automated`.
   */
  verification?: {
    /** People record "verified" or "failed" for the version running here, with a comment. */
    signOff?: {
      /** Group (or user) entity refs whose members sign off, e.g. `group:default/qa`. */
      groups: string[];
    };
    /** Argo CD's verdict on the sync that deployed the version. */
    automated?: {
      /** The sync's PostSync hooks (`syncResult.resources[]` with `hookType: PostSync`) must have succeeded. Default false. */
      postSyncHooks?: boolean;
      /** The version must have stayed Healthy this long since it was deployed, e.g. `30m`. Default `0s`. */
      soakTime?: string | import('@backstage/types').HumanDuration;
    };
  };
  /**
   * The version (same X.Y.Z, e.g. `v1.2.0-rc.2` for `v1.2.0`) must have been
   * verified in the `promotesFrom` environment, which must configure `verification`. Default false.
   */
  requireVerification?: boolean;
  /** The version's X.Y.Z must have run in the `promotesFrom` environment (now, in its history or our deployment record). Default false. */
  requireLineage?: boolean;
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
      /**
       * How long the GitOps tab's overview of an entity (`GET …/overview`: state,
       * changes, verification, digests) is reused while nothing it is made of
       * changed (mirror events, change movements and sign-offs end it at once);
       * this bounds only what moves with time alone (a sync window opening, a
       * soak time ending, a tag pushed again). Kept only while the entity's
       * environments are read from live mirrors. `0s` builds it on every
       * request. Default 10s.
       */
      overviewTtl?: string | import('@backstage/types').HumanDuration;
      /**
       * How long the read routes (what runs where, the overview, images,
       * troubleshooting) reuse an entity read from the catalog with a caller's
       * credentials, for that caller only (as the TechDocs backend does): a
       * caller whose visibility of the entity was revoked still reads it for at
       * most this long. Writes always read the catalog. `0s` off. Default 5s.
       */
      entityTtl?: string | import('@backstage/types').HumanDuration;
    };
    /**
     * Application mirrors: per Argo CD instance, the applications are listed
     * once and kept by Argo CD's watch stream (`/api/v1/stream/applications`);
     * reads are served from the mirror while it is live, from Argo CD (through
     * the cache) while it is not. Only applications a binding maps to an entity
     * are kept whole.
     */
    mirror?: {
      /** Keep mirrors (default true). `false`: every read asks Argo CD (through the cache). */
      enabled?: boolean;
      /** Reconnect backoff (exponential with jitter): first delay (default `500ms`) and longest (default `30s`). */
      backoff?: {
        initial?: string | import('@backstage/types').HumanDuration;
        max?: string | import('@backstage/types').HumanDuration;
      };
      /** Failed reconnects in a row after which the mirror re-lists instead of resuming (default 5). */
      resyncAfterFailures?: number;
      /**
       * While the stream is open, a list merged by resourceVersion this often
       * (catches a stream that went silent without closing; default `10m`, `0s`: never).
       */
      relistInterval?: string | import('@backstage/types').HumanDuration;
      /**
       * AppProjects are listed once per instance and re-listed this often (default `1m`);
       * with the mirror live, sync-window states are computed from them (no Argo CD call).
       */
      projectsRefresh?: string | import('@backstage/types').HumanDuration;
    };
    /** GitOps repositories for the `git` write-back. */
    git?: GitopsGitConfig;
    /** Timings of change execution. */
    execution?: GitopsExecutionConfig;
    /**
     * Container image registries (Docker Registry HTTP API v2 / OCI distribution)
     * whose tags and digests the image checks and the promote dialog read. An
     * image's registry is the host of its repository (`images.example.net/org/app` → `images.example.net`).
     */
    registries?: Array<{
      /** Host (and port) as image references name it, e.g. `images.example.net` or `images.example.org:5000`. */
      host: string;
      /** Base URL of the registry API when it is not `https://<host>`, e.g. a mirror or `http://localhost:7082`. */
      url?: string;
      /**
       * `anonymous`; `basic` (username/password on every call); `bearer` (the registry's
       * token endpoint from its `WWW-Authenticate` challenge, with username/password or
       * anonymously; or a static `token`). Default: from the credentials given.
       */
      auth?: 'anonymous' | 'basic' | 'bearer';
      /** Account for basic auth or the token endpoint. */
      username?: string;
      /**
       * Password (or access token used as password) of `username`.
       * @visibility secret
       */
      password?: string;
      /**
       * A static bearer token sent as is (no token endpoint).
       * @visibility secret
       */
      token?: string;
      /** Time budget of one registry call (e.g. `5s`). Default 5s. */
      timeout?: string | import('@backstage/types').HumanDuration;
    }>;
    /** Pipeline used for entities without a `gitops/pipeline` annotation. */
    defaultPipeline?: string;
    /**
     * Which entities may steer which Argo CD applications (see the README,
     * "Trust model"). An entity's annotations only *claim* applications; the
     * application side must agree: the Application's own annotation names the
     * entity (default), or a rule here maps it. Two entities bound to one
     * application are a configuration error.
     */
    bindings?: {
      /** Honour the Application's `entityAnnotation` (default true). */
      applicationAnnotations?: boolean;
      /** Annotation of the Argo CD Application naming the entity ref that steers it. Default `gitops.backstage.io/entity-ref`. */
      entityAnnotation?: string;
      /** Annotation of the Argo CD Application naming its pipeline(s), comma-separated. Default `gitops.backstage.io/pipeline`; without it the default pipeline. */
      pipelineAnnotation?: string;
      /** Platform rules: applications (by instance, project, name glob, labels) → entities or owner groups allowed to steer them. */
      rules?: Array<{
        /** Which applications; every given condition must hold, at least one is required. */
        match: {
          instances?: string[];
          projects?: string[];
          /** Name globs (`*`, `?`). */
          names?: string[];
          labels?: { [key: string]: string };
        };
        /** Entity refs that may steer them (kind defaults to component). */
        entities?: string[];
        /** Owner refs (kind defaults to group): any entity they own may steer them. */
        owners?: string[];
        /** Pipelines the applications run under; without: the Application's annotation or the default pipeline. */
        pipelines?: string[];
        /**
         * Kubernetes namespaces whose Helm releases (`gitops/helm-release`) the
         * entities this rule binds may read, besides the namespace each bound
         * application deploys to (its `spec.destination.namespace`).
         */
        helmNamespaces?: string[];
      }>;
    };
    /** Promotion pipelines by name. */
    pipelines?: {
      [name: string]: GitopsPipelineReadConfig;
    };
    /**
     * Change notifications through Backstage's notifications system
     * (src/notifications): approvers are told of requests awaiting them,
     * requesters (and owners) of the outcome. Topic per entity, so a person
     * can mute one entity in the notification settings.
     */
    notifications?: {
      /** Send change notifications at all. Default true. */
      enabled?: boolean;
      /**
       * How long before an approval request expires the approvers who have
       * not decided get a reminder, e.g. `1h`, `30 minutes`, `PT2H` or
       * `{ hours: 1 }`. Default 1 hour. Only applies to environments whose
       * approvals expire (`approvals.expiresAfter`).
       */
      reminderLeadTime?: string | import('@backstage/types').HumanDuration;
    };
    /**
     * Live updates through Backstage signals (src/signals; needs
     * `@backstage/plugin-signals-backend` in the backend and
     * `@backstage/plugin-signals` in the app): environment changes seen by
     * the Argo CD mirrors and change request movements are pushed to open
     * tabs and the approvals inbox, which then refetch. Messages are
     * broadcast and carry only refs, ids, environment and state names.
     */
    signals?: {
      /**
       * Publish live updates. Default true. When false the browser polls
       * every 30 s instead (and while signals are unavailable).
       * @visibility frontend
       */
      enabled?: boolean;
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
