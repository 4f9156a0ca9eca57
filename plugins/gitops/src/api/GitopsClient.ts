import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  gitopsApiPaths,
  gitopsTroubleshootingPaths,
  type ChangeList,
  type ChangePreview,
  type ChangeRequest,
  type ChangeRequestDetail,
  type CreateChangeRequest,
  type DecisionRequest,
  type EntityGitOpsOverview,
  type EntityGitOpsState,
  type EnvironmentDiff,
  type EnvironmentHistory,
  type EnvironmentResources,
  type FleetQuery,
  type FleetResponse,
  type ImageDigests,
  type ImageTagList,
  type LastOperation,
  type LogQuery,
  type LogStreamLine,
  type OutOfSyncReport,
  type ResourceEvents,
  type ResourceTree,
  type TreeHealthFilter,
} from '@internal/plugin-gitops-common';
import {
  gitopsVerificationPaths,
  type EnvironmentVerification,
  type VerificationDecisionRequest,
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

  getOverview(e: CompoundEntityRef): Promise<EntityGitOpsOverview> {
    return this.#request(gitopsApiPaths.overview(e.kind, e.namespace, e.name));
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

  getImageTags(e: CompoundEntityRef, env: string): Promise<ImageTagList> {
    return this.#request(
      gitopsApiPaths.environment(
        e.kind,
        e.namespace,
        e.name,
        env,
        'image-tags',
      ),
    );
  }

  getImageDigests(e: CompoundEntityRef, env: string): Promise<ImageDigests> {
    return this.#request(
      gitopsApiPaths.environment(
        e.kind,
        e.namespace,
        e.name,
        env,
        'image-digests',
      ),
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

  getVerification(
    e: CompoundEntityRef,
    env: string,
  ): Promise<EnvironmentVerification> {
    return this.#request(
      gitopsVerificationPaths.verification(e.kind, e.namespace, e.name, env),
    );
  }

  decideVerification(
    e: CompoundEntityRef,
    env: string,
    decision: VerificationDecisionRequest,
  ): Promise<EnvironmentVerification> {
    return this.#request(
      gitopsVerificationPaths.verification(e.kind, e.namespace, e.name, env),
      { method: 'POST', body: decision },
    );
  }

  getFleet(query: FleetQuery = {}): Promise<FleetResponse> {
    const params = new URLSearchParams();
    if (query.owner) params.set('owner', query.owner);
    if (query.system) params.set('system', query.system);
    if (query.state?.length) params.set('state', query.state.join(','));
    const qs = params.toString();
    return this.#request(`${gitopsApiPaths.fleet()}${qs ? `?${qs}` : ''}`);
  }

  getResourceTree(
    e: CompoundEntityRef,
    env: string,
    health?: TreeHealthFilter[],
  ): Promise<ResourceTree> {
    const qs = health?.length ? `?health=${health.join(',')}` : '';
    return this.#request(`${troubleshooting(e, env, 'tree')}${qs}`);
  }

  getResourceEvents(
    e: CompoundEntityRef,
    env: string,
    resource: { uid?: string; name?: string; namespace?: string } = {},
  ): Promise<ResourceEvents> {
    const params = new URLSearchParams();
    if (resource.uid) params.set('resourceUID', resource.uid);
    if (resource.name) params.set('resourceName', resource.name);
    if (resource.namespace) params.set('resourceNamespace', resource.namespace);
    const qs = params.toString();
    return this.#request(
      `${troubleshooting(e, env, 'events')}${qs ? `?${qs}` : ''}`,
    );
  }

  getLastOperation(e: CompoundEntityRef, env: string): Promise<LastOperation> {
    return this.#request(troubleshooting(e, env, 'operation'));
  }

  getOutOfSync(e: CompoundEntityRef, env: string): Promise<OutOfSyncReport> {
    return this.#request(troubleshooting(e, env, 'out-of-sync'));
  }

  async streamLogs(
    e: CompoundEntityRef,
    env: string,
    query: LogQuery,
    onLine: (line: LogStreamLine) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const params = new URLSearchParams({ podName: query.podName });
    if (query.container) params.set('container', query.container);
    if (query.tailLines) params.set('tailLines', String(query.tailLines));
    if (query.sinceSeconds)
      params.set('sinceSeconds', String(query.sinceSeconds));
    if (query.follow) params.set('follow', 'true');
    const baseUrl = await this.#discoveryApi.getBaseUrl('gitops');
    const response = await this.#fetchApi.fetch(
      `${baseUrl}${troubleshooting(e, env, 'logs')}?${params}`,
      { signal },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const emit = (raw: string) => {
      if (raw.trim()) onLine(JSON.parse(raw) as LogStreamLine);
    };
    if (!response.body) {
      (await response.text()).split('\n').forEach(emit);
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        parts.forEach(emit);
      }
      emit(buffer);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
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

function troubleshooting(
  e: CompoundEntityRef,
  env: string,
  part: 'tree' | 'events' | 'logs' | 'operation' | 'out-of-sync',
): string {
  return gitopsTroubleshootingPaths.part(
    e.kind,
    e.namespace,
    e.name,
    env,
    part,
  );
}
