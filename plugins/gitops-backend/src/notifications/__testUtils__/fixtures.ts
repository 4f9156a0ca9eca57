/* Example organisation and changes for the notification tests. */
import { Entity } from '@backstage/catalog-model';
import { NotifiedChange } from '../types';

const user = (name: string, groups: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: groups },
  relations: groups.map(g => ({
    type: 'memberOf',
    targetRef: `group:default/${g}`,
  })),
});

const group = (name: string, members: string[], children: string[] = []) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children },
    relations: [
      ...members.map(m => ({
        type: 'hasMember',
        targetRef: `user:default/${m}`,
      })),
      ...children.map(c => ({
        type: 'parentOf',
        targetRef: `group:default/${c}`,
      })),
    ],
  } as Entity);

export const ENTITY_REF = 'component:default/python-api-base';

/** alice (team-a, owner), bob and carol (platform-team, approvers), dave (sre), erin (team-a). */
export const ORG: Entity[] = [
  user('alice', ['team-a']),
  user('erin', ['team-a']),
  user('bob', ['platform-team']),
  user('carol', ['platform-team']),
  user('dave', ['sre']),
  group('team-a', ['alice', 'erin']),
  group('platform-team', ['bob'], ['platform-oncall']),
  group('platform-oncall', ['carol']),
  group('sre', ['dave']),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'python-api-base', namespace: 'default' },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
  },
];

export function change(over: Partial<NotifiedChange> = {}): NotifiedChange {
  return {
    id: '6f1c2f5e-3a41-4c3e-9a55-0b7f2a9d1c01',
    entityRef: ENTITY_REF,
    environment: 'prod',
    pipeline: 'standard',
    kind: 'promote',
    state: 'awaiting_approval',
    version: 'v1.2.0',
    fromVersion: 'v1.1.0',
    sourceEnvironment: 'staging',
    requestedBy: 'user:default/alice',
    reason: 'release 1.2',
    override: false,
    approverRefs: ['group:default/platform-team'],
    requiredApprovals: 1,
    checks: [
      { id: 'tag-pattern', status: 'pass', message: 'v1.2.0 matches' },
      { id: 'approvals', status: 'pending', message: '0 of 1 approvals' },
    ],
    expiresAt: '2026-11-24T10:00:00.000Z',
    approvals: [],
    ...over,
  };
}
