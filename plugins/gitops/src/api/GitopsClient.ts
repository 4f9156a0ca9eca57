import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  gitopsApiPaths,
  type ChangeList,
  type ChangePreview,
  type ChangeRequest,
  type ChangeRequestDetail,
  type CreateChangeRequest,
  type DecisionRequest,
  type EntityGitOpsState,
  type EnvironmentDiff,
  type EnvironmentHistory,
  type EnvironmentResources,
} from '@internal/plugin-gitops-common';
import type { GitopsApi, ListChangesQuery } from './GitopsApi';

/**
 * HTTP implementation of {@link GitopsApi}, modelled on `NotificationsClient`.
 *
 * @public
 */
export class GitopsClient implements GitopsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getEnvironments(e: CompoundEntityRef): Promise<EntityGitOpsState> {
    return this.#request(
      gitopsApiPaths.environments(e.kind, e.namespace, e.name),
    );
  }

  getHistory(e: CompoundEntityRef, env: string): Promise<EnvironmentHistory> {
    return this.#request(
      gitopsApiPaths.environment(e.kind, e.namespace, e.name, env, 'history'),
    );
  }

  getDiff(e: CompoundEntityRef, env: string): Promise<EnvironmentDiff> {
    return this.#request(
      gitopsApiPaths.environment(e.kind, e.namespace, e.name, env, 'diff'),
    );
  }

  getResources(
    e: CompoundEntityRef,
    env: string,
  ): Promise<EnvironmentResources> {
    return this.#request(
      gitopsApiPaths.environment(e.kind, e.namespace, e.name, env, 'resources'),
    );
  }

  previewChange(request: CreateChangeRequest): Promise<ChangePreview> {
    return this.#request(gitopsApiPaths.changes(), {
      method: 'POST',
      body: { ...request, preview: true },
    });
  }

  createChange(request: CreateChangeRequest): Promise<ChangeRequest> {
    return this.#request(gitopsApiPaths.changes(), {
      method: 'POST',
      body: { ...request, preview: false },
    });
  }

  listChanges(query: ListChangesQuery = {}): Promise<ChangeList> {
    const params = new URLSearchParams();
    if (query.entityRef) params.set('entityRef', query.entityRef);
    if (query.state) params.set('state', query.state);
    if (query.environment) params.set('environment', query.environment);
    const qs = params.toString();
    return this.#request(`${gitopsApiPaths.changes()}${qs ? `?${qs}` : ''}`);
  }

  getChange(id: string): Promise<ChangeRequestDetail> {
    return this.#request(gitopsApiPaths.change(id));
  }

  approveChange(
    id: string,
    decision: DecisionRequest = {},
  ): Promise<ChangeRequest> {
    return this.#request(gitopsApiPaths.changeAction(id, 'approve'), {
      method: 'POST',
      body: decision,
    });
  }

  rejectChange(
    id: string,
    decision: DecisionRequest = {},
  ): Promise<ChangeRequest> {
    return this.#request(gitopsApiPaths.changeAction(id, 'reject'), {
      method: 'POST',
      body: decision,
    });
  }

  cancelChange(id: string): Promise<ChangeRequest> {
    return this.#request(gitopsApiPaths.changeAction(id, 'cancel'), {
      method: 'POST',
      body: {},
    });
  }

  getPendingApprovals(): Promise<ChangeList> {
    return this.#request(gitopsApiPaths.pendingApprovals());
  }

  async #request<T>(
    path: string,
    init?: { method: 'POST'; body: unknown },
  ): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('gitops');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      headers: init ? { 'Content-Type': 'application/json' } : undefined,
      body: init ? JSON.stringify(init.body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
