import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityGitOpsState,
  EnvironmentHistory,
} from '@internal/plugin-gitops-common';
import { ArgoWindowFacts, SyncWindow } from '../windows';
import { ImageFacts, RecordedDeployment } from './evaluatePolicy';
import type { VerificationFacts } from './verificationFacts';

/**
 * What the policy service needs from the read side (implemented by
 * `GitOpsStateService` in src/state through src/adapters; a fake in tests).
 *
 * @internal
 */
export interface EnvironmentStateReader {
  /** States of every environment of the entity's pipeline (and the pipeline name). */
  getEnvironments(entity: Entity): Promise<EntityGitOpsState>;
  /** Deployment history of one environment, oldest or newest first. */
  getHistory(entity: Entity, environment: string): Promise<EnvironmentHistory>;
  /**
   * Argo CD's own sync windows assigned to the environment's application
   * (`GET /api/v1/applications/{name}/syncwindows` → `assignedWindows`).
   * Optional: without it only the policy's windows apply.
   */
  getArgoCdWindows?(entity: Entity, environment: string): Promise<SyncWindow[]>;
  /**
   * What Argo CD says about the environment's windows (`canSync`, active and
   * assigned windows with their time zones). Preferred over `getArgoCdWindows`.
   */
  getArgoCdWindowFacts?(
    entity: Entity,
    environment: string,
  ): Promise<ArgoWindowFacts | undefined>;
  /**
   * Manifest digests of these tags of the environment's application image,
   * from the image registry (`null`: no such tag). Optional: without it the
   * image checks report "unavailable". Never throws for registry trouble: it
   * answers `unavailable` with the reason.
   */
  getImageFacts?(
    entity: Entity,
    environment: string,
    tags: string[],
  ): Promise<ImageFacts>;
  /** Succeeded deployments our record holds for the environment (rollback by version). */
  getRecordedDeployments?(
    entity: Entity,
    environment: string,
  ): Promise<RecordedDeployment[]>;
  /**
   * What the verification of an environment is judged by: the running
   * version, its sync's PostSync hooks, its health, the sign-off decisions
   * (src/verification through an adapter). Optional: without it a
   * `requireVerification` check fails as unreadable.
   */
  getVerificationFacts?(
    entity: Entity,
    environment: string,
  ): Promise<VerificationFacts>;
}

/** Loads catalog entities as the caller. @internal */
export interface EntityLoader {
  getEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined>;
  /** Of these refs, the ones the caller may see (batch lookup). */
  getVisibleRefs?(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>>;
}
