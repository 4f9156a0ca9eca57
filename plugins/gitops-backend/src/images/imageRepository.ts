import { Entity } from '@backstage/catalog-model';
import { EntityGitOpsState } from '@internal/plugin-gitops-common';
import {
  IMAGE_ANNOTATION,
  isRepositoryTemplate,
} from '../deployments/versionEvidence';
import { parseImageRef } from '../deployments/versionIdentity';
import { PipelineSet } from '../pipeline/Pipeline';

/** Where the application's image repository was found. @internal */
export interface ResolvedRepository {
  repository: string;
  from: 'config' | 'entity' | 'live';
}

const fill = (
  template: string,
  vars: { app?: string; env: string; appName?: string },
) =>
  template
    .trim()
    .replace(/\{app\}/g, vars.app ?? vars.appName ?? '')
    .replace(/\{env\}/g, vars.env)
    .replace(/\{appName\}/g, vars.appName ?? vars.app ?? '');

/**
 * The image repository of the entity's application in an environment, as
 * the read side names it: the environment's or the pipeline's `image`
 * config, then the entity's `gitops/image` annotation (templates with
 * `{app}`, `{env}`, `{appName}`), then the live image whose tag is the
 * version an environment runs (the target's first, then the others').
 * Pure (the state is read by the caller).
 *
 * @internal
 */
export function resolveImageRepository(
  pipelines: PipelineSet,
  entity: Entity,
  state: EntityGitOpsState,
  environment: string,
): ResolvedRepository | undefined {
  const env = state.environments.find(e => e.name === environment);
  const pipeline = pipelines.pipelines.get(state.pipeline);
  const envConfig = pipeline?.environments.find(e => e.name === environment);
  const vars = {
    app: entity.metadata.annotations?.['gitops/app'],
    env: environment,
    appName: env?.application?.name,
  };
  const configured =
    envConfig?.config.getOptionalString('image') ??
    pipeline?.config.getOptionalString('image');
  if (configured && isRepositoryTemplate(configured)) {
    return { repository: fill(configured, vars), from: 'config' };
  }
  const annotated = entity.metadata.annotations?.[IMAGE_ANNOTATION];
  if (annotated && isRepositoryTemplate(annotated)) {
    return { repository: fill(annotated, vars), from: 'entity' };
  }
  const ordered = [
    ...state.environments.filter(e => e.name === environment),
    ...state.environments.filter(e => e.name !== environment),
  ];
  for (const e of ordered) {
    if (!e.version) continue;
    const image = e.images.find(i => parseImageRef(i).tag === e.version);
    if (image) {
      const at = image.indexOf('@');
      const noDigest = at >= 0 ? image.slice(0, at) : image;
      return {
        repository: noDigest.slice(0, noDigest.lastIndexOf(':')),
        from: 'live',
      };
    }
  }
  return undefined;
}
