import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { HistoryEntry } from '@internal/plugin-gitops-common';
import { PolicyChange, PolicySnapshot } from './evaluatePolicy';
import { EnvironmentStateReader } from './ports';
import { EnvironmentPolicy, PipelinePolicy, PolicySet } from './types';
import {
  imageTagsNeeded,
  needsImageFacts,
  sameCoreVersionsRan,
} from './imageChecks';

/** The facts of a snapshot that come from the read side. @internal */
export type ReadFacts = Pick<
  PolicySnapshot,
  | 'environments'
  | 'history'
  | 'argoCdWindows'
  | 'argoCdWindowFacts'
  | 'recorded'
  | 'images'
  | 'verification'
>;

/** The pipeline policy by name; InputError when it is not configured. @internal */
export function pipelinePolicy(
  policies: PolicySet,
  name: string | undefined,
): PipelinePolicy {
  const p = name === undefined ? undefined : policies.pipelines.get(name);
  if (!p) {
    throw new InputError(
      `pipeline '${name}' is not configured under gitops.pipelines`,
    );
  }
  return p;
}

/** The environment's policy; InputError naming the field when unknown. @internal */
export function environmentPolicy(
  pipeline: PipelinePolicy,
  environment: string,
): EnvironmentPolicy {
  const env = pipeline.environments.find(e => e.name === environment);
  if (!env) {
    throw new InputError(
      `environment: '${environment}' is not an environment of pipeline ${
        pipeline.name
      } (${pipeline.environments.map(e => e.name).join(', ')})`,
    );
  }
  return env;
}

/**
 * Gathers the read-side facts the policy judges a change by: the states of
 * the entity's environments, the history it needs (previous environment for
 * a soak rule, the target for a rollback) and Argo CD's own windows.
 *
 * @internal
 */
export async function gatherPolicyInputs(
  reader: EnvironmentStateReader,
  logger: LoggerService,
  entity: Entity,
  change: PolicyChange,
  resolvePipeline: (pipelineOfEntity: string | undefined) => PipelinePolicy,
): Promise<{ pipeline: PipelinePolicy; facts: ReadFacts }> {
  const state = await reader.getEnvironments(entity);
  const pipeline = resolvePipeline(state.pipeline);
  const env = environmentPolicy(pipeline, change.environment);
  const history: Record<string, HistoryEntry[]> = {};
  const wanted = new Set<string>();
  if (
    change.kind === 'promote' &&
    env.promotesFrom &&
    (env.requireRunInPrevious || env.requireLineage)
  )
    wanted.add(env.promotesFrom);
  if (change.kind === 'promote' && env.promotesFrom && env.requireSameDigest)
    wanted.add(env.promotesFrom);
  if (change.kind === 'rollback') wanted.add(env.name);
  await Promise.all(
    [...wanted].map(async name => {
      try {
        history[name] = (await reader.getHistory(entity, name)).items;
      } catch (e) {
        logger.warn(`history of ${name} could not be read: ${e}`);
        history[name] = [];
      }
    }),
  );
  const argoCdWindowFacts =
    env.useArgoCdWindows && reader.getArgoCdWindowFacts
      ? await reader
          .getArgoCdWindowFacts(entity, env.name)
          .catch((e: unknown) => {
            logger.warn(
              `Argo CD windows of ${env.name} could not be read: ${e}`,
            );
            return undefined;
          })
      : undefined;
  const argoCdWindows =
    env.useArgoCdWindows && !argoCdWindowFacts && reader.getArgoCdWindows
      ? await reader.getArgoCdWindows(entity, env.name).catch(() => [])
      : [];
  const recorded: ReadFacts['recorded'] = {};
  if (change.kind === 'rollback' && reader.getRecordedDeployments) {
    recorded[env.name] = await reader
      .getRecordedDeployments(entity, env.name)
      .catch((e: unknown) => {
        logger.warn(`deployment record of ${env.name} could not be read: ${e}`);
        return [];
      });
  }
  const lineageFrom =
    change.kind === 'promote' && env.requireLineage
      ? env.promotesFrom
      : undefined;
  if (lineageFrom && reader.getRecordedDeployments) {
    recorded[lineageFrom] = await reader
      .getRecordedDeployments(entity, lineageFrom)
      .catch((e: unknown) => {
        logger.warn(
          `deployment record of ${lineageFrom} could not be read: ${e}`,
        );
        return [];
      });
  }
  const verification: ReadFacts['verification'] = {};
  const verifiedIn =
    change.kind === 'promote' && env.requireVerification
      ? env.promotesFrom
      : undefined;
  if (verifiedIn && reader.getVerificationFacts) {
    verification[verifiedIn] = await reader
      .getVerificationFacts(entity, verifiedIn)
      .catch((e: unknown) => {
        logger.warn(`verification of ${verifiedIn} could not be read: ${e}`);
        return undefined;
      });
  }
  let images: ReadFacts['images'];
  if (change.kind === 'promote' && change.version && needsImageFacts(env)) {
    const version = change.version;
    const source = state.environments.find(e => e.name === env.promotesFrom);
    const ran = env.promotesFrom
      ? sameCoreVersionsRan(version, source, history[env.promotesFrom] ?? [])
      : [];
    const tags = imageTagsNeeded(env, version, ran);
    images = reader.getImageFacts
      ? await reader
          .getImageFacts(entity, env.name, tags)
          .catch((e: unknown) => ({
            unavailable: (e as Error).message,
            digests: {},
          }))
      : { unavailable: 'no image registry is set up', digests: {} };
  }
  return {
    pipeline,
    facts: {
      environments: state.environments,
      history,
      argoCdWindows,
      ...(argoCdWindowFacts ? { argoCdWindowFacts } : {}),
      recorded,
      ...(images ? { images } : {}),
      verification,
    },
  };
}
