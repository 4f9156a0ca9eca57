import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityGitOpsState,
  EnvironmentError,
} from '@internal/plugin-gitops-common';
import type { OpenChangeSummary } from '../store/openChanges';
import type { SyncWindow } from '../windows';

/** The entities of the fleet, read as the caller (catalog visibility applies). @internal */
export interface FleetCatalog {
  /** Every entity with GitOps annotations the caller may see, narrowed by owner and system refs. One catalog query. */
  listEntities(
    filter: { owner?: string; system?: string },
    credentials: BackstageCredentials,
  ): Promise<Entity[]>;
}

/** One entity's read: the tab's state, or why it could not be read at all. @internal */
export type FleetStateResult =
  | { state: EntityGitOpsState; error?: undefined }
  | { state?: undefined; error: EnvironmentError };

/** What runs where, for many entities at once (the tab's read path, batched). @internal */
export interface FleetStateSource {
  /** In the order of `entities`. */
  read(entities: Entity[]): Promise<FleetStateResult[]>;
}

/** The open changes of many entities in one read. @internal */
export interface FleetChanges {
  listOpenChanges(entityRefs: string[]): Promise<OpenChangeSummary[]>;
}

/** The policy windows of a pipeline environment (from the config model); undefined when none apply. @internal */
export type FleetWindows = (
  pipeline: string,
  environment: string,
) => SyncWindow[] | undefined;
