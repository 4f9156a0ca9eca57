import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';

export type { EntityLoader, EnvironmentStateReader } from '../policy/ports';

/** The signed-in user and their ownership refs (user + groups). @internal */
export interface Caller {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  userEntityRef: string;
  /** `ownershipEntityRefs` from the user info service. */
  claims: string[];
}

/** Permission checks on the catalog entity. @internal */
export interface ChangePermissions {
  /** Throws NotAllowedError naming the action when denied. */
  require(
    action: 'create' | 'approve' | 'override',
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void>;
}
