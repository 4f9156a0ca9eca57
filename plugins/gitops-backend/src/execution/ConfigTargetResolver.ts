import { AuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { StoredChange } from '../store/ChangeStore';
import {
  EnvironmentExecutionConfig,
  environmentKey,
} from '../config/readExecution';
import {
  TargetMovedError,
  changeTargetOf,
  targetMoved,
} from '../binding/changeTarget';
import { PipelineSet, readEntitySpec } from '../pipeline';
import { ApplicationLocator } from '../state/ApplicationLocator';
import { ExecutionTarget, ExecutionTargetResolver } from './types';

/** Options of {@link ConfigTargetResolver.create}. @internal */
export interface TargetResolverOptions {
  pipelines: PipelineSet;
  environments: Map<string, EnvironmentExecutionConfig>;
  locator: ApplicationLocator;
  catalog: CatalogService;
  auth: AuthService;
}

/**
 * Finds where a change executes: the entity (read with the plugin's own
 * credentials) → its pipeline environment → the Argo CD application (same
 * lookup as the read side), plus the environment's execution settings.
 *
 * @internal
 */
export class ConfigTargetResolver implements ExecutionTargetResolver {
  readonly #o: TargetResolverOptions;

  static create(options: TargetResolverOptions): ConfigTargetResolver {
    return new ConfigTargetResolver(options);
  }

  private constructor(o: TargetResolverOptions) {
    this.#o = o;
  }

  async resolve(change: StoredChange): Promise<ExecutionTarget> {
    const credentials = await this.#o.auth.getOwnServiceCredentials();
    const entity = await this.#o.catalog.getEntityByRef(change.entityRef, {
      credentials,
    });
    if (!entity)
      throw new NotFoundError(
        `${change.entityRef} is no longer in the catalog`,
      );
    const spec = readEntitySpec(entity);
    if (!spec)
      throw new Error(`${change.entityRef} has no GitOps annotations any more`);
    const pipeline = this.#o.pipelines.pipelines.get(change.pipeline);
    const env = pipeline?.environments.find(e => e.name === change.environment);
    const settings = this.#o.environments.get(
      environmentKey(change.pipeline, change.environment),
    );
    if (!pipeline || !env || !settings) {
      throw new Error(
        `environment '${change.environment}' of pipeline '${change.pipeline}' is not configured any more`,
      );
    }
    const located = (
      await this.#o.locator.locate(pipeline, spec, env.name)
    ).get(env.name);
    const refusal = located?.error;
    if (
      change.target &&
      refusal &&
      (refusal.name === 'NotAllowedError' || refusal.name === 'ConflictError')
    ) {
      // The binding that allowed the change when it was created is gone.
      throw new TargetMovedError(
        `the binding changed since the change was created and approved: ${refusal.message}`,
      );
    }
    if (!located?.app) {
      throw new Error(
        located?.error?.message ??
          `no Argo CD application found for ${change.environment}`,
      );
    }
    if (change.target) {
      const moved = targetMoved(
        change.target,
        changeTargetOf({
          instance: located.instance,
          application: located.app.metadata.name,
          appNamespace: located.app.metadata.namespace,
          project: located.app.spec.project,
          writeBack: settings.writeBack,
        }),
        { pinned: change.pipeline },
      );
      if (moved) throw new TargetMovedError(moved);
    }
    return {
      instance: located.instance,
      application: located.app.metadata.name,
      project: located.app.spec.project,
      appNamespace: spec.appNamespace,
      baseApp: spec.baseApp,
      ...settings,
      entity,
    };
  }
}
