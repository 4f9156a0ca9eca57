/**
 * Routes of the GitOps backend (mounted at `/api/gitops`). Both sides use these
 * builders so paths cannot drift.
 *
 * - `GET  /entities/:kind/:namespace/:name/overview` → EntityGitOpsOverview (what the tab shows when it opens, one request)
 * - `GET  /entities/:kind/:namespace/:name/environments` → EntityGitOpsState
 * - `GET  /entities/:kind/:namespace/:name/environments/:env/history` → EnvironmentHistory
 * - `GET  /entities/:kind/:namespace/:name/environments/:env/diff` → EnvironmentDiff
 * - `GET  /entities/:kind/:namespace/:name/environments/:env/resources` → EnvironmentResources
 * - `GET  /entities/:kind/:namespace/:name/environments/:env/image-tags` → ImageTagList (registry tags the environment accepts)
 * - `GET  /entities/:kind/:namespace/:name/environments/:env/image-digests` → ImageDigests (digests of what it runs and ran)
 * - `POST /changes` (CreateChangeRequest) → 201 ChangeRequest, or 200 ChangePreview when `preview`
 * - `GET  /changes?entityRef=&state=&environment=` → ChangeList
 * - `GET  /changes/:id` → ChangeRequestDetail
 * - `POST /changes/:id/approve` | `/reject` (DecisionRequest) → ChangeRequest
 * - `POST /changes/:id/cancel` → ChangeRequest
 * - `GET  /approvals/pending` → ChangeList (waiting for the caller's decision)
 * - `GET  /fleet?owner=&system=&state=` → FleetResponse (every entity × environment the caller can see)
 *
 * @public
 */
export const gitopsApiPaths = {
  overview: (kind: string, namespace: string, name: string) =>
    `/entities/${enc(kind)}/${enc(namespace)}/${enc(name)}/overview`,
  environments: (kind: string, namespace: string, name: string) =>
    `/entities/${enc(kind)}/${enc(namespace)}/${enc(name)}/environments`,
  environment: (
    kind: string,
    namespace: string,
    name: string,
    env: string,
    part: 'history' | 'diff' | 'resources' | 'image-tags' | 'image-digests',
  ) =>
    `/entities/${enc(kind)}/${enc(namespace)}/${enc(name)}/environments/${enc(
      env,
    )}/${part}`,
  changes: () => '/changes',
  change: (id: string) => `/changes/${enc(id)}`,
  changeAction: (id: string, action: 'approve' | 'reject' | 'cancel') =>
    `/changes/${enc(id)}/${action}`,
  pendingApprovals: () => '/approvals/pending',
  fleet: () => '/fleet',
};

function enc(s: string): string {
  return encodeURIComponent(s);
}
