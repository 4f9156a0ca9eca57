/**
 * Who may steer which Argo CD application, decided from facts the
 * application side controls: the Application's own annotations (set in the
 * GitOps repository by those who own it) and the platform config. Never from
 * an entity's annotations alone. See the backend README, "Trust model".
 */

/** Annotation on an Argo CD Application naming the entity that steers it (full entity ref). @public */
export const DEFAULT_ENTITY_ANNOTATION = 'gitops.backstage.io/entity-ref';
/** Annotation on an Argo CD Application naming the pipeline(s) it runs under (comma-separated). @public */
export const DEFAULT_PIPELINE_ANNOTATION = 'gitops.backstage.io/pipeline';

/** Which applications a platform rule covers; every given condition must hold. @public */
export interface BindingMatch {
  instances?: string[];
  projects?: string[];
  /** Glob on the application name (`*` any characters, `?` one). */
  names?: string[];
  labels?: Record<string, string>;
}

/** A platform rule (`gitops.bindings.rules[]`). @public */
export interface BindingRule {
  /** Config key path, for messages, e.g. `gitops.bindings.rules[0]`. */
  path: string;
  match: BindingMatch;
  /** Entity refs that may steer the matched applications. */
  entities: string[];
  /** Owner group refs: any entity owned by one of them may steer them. */
  owners: string[];
  /** Pipelines the matched applications run under (none: the default pipeline). */
  pipelines?: string[];
  /** Namespaces whose Helm releases the bound entities may read besides the applications' destination namespaces. */
  helmNamespaces?: string[];
}

/** `gitops.bindings`. @public */
export interface BindingConfig {
  /** Honour the Application's own annotation (default true). */
  applicationAnnotations: boolean;
  entityAnnotation: string;
  pipelineAnnotation: string;
  rules: BindingRule[];
  /** `gitops.defaultPipeline`: what an application runs under when no binding names a pipeline. */
  defaultPipeline?: string;
}

/** The safe default: the Application must name the entity; no platform rules. @public */
export const DEFAULT_BINDINGS: BindingConfig = {
  applicationAnnotations: true,
  entityAnnotation: DEFAULT_ENTITY_ANNOTATION,
  pipelineAnnotation: DEFAULT_PIPELINE_ANNOTATION,
  rules: [],
};

/** The application facts a binding is decided on. @public */
export interface BindingApplication {
  instance: string;
  name: string;
  project?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The entity that asks. @public */
export interface BindingEntity {
  /** Full ref, e.g. `component:default/python-api-base`. */
  ref: string;
  /** Owner group/user refs (from `spec.owner`). */
  owners: string[];
}

/** Outcome of {@link decideBinding}. @public */
export type BindingDecision =
  | {
      bound: true;
      /** What binds it, e.g. `annotation gitops.backstage.io/entity-ref` or `gitops.bindings.rules[0]`. */
      via: string[];
      /** Pipelines the application runs under. */
      pipelines: string[];
    }
  | {
      bound: false;
      /** For people: why this entity may not steer the application. */
      reason: string;
      /** Two entities bound to one application: a configuration error. */
      conflict: boolean;
    };
