/** What the HTTP surface needs from the emulator. */
import type { Controller } from '../Controller';
import type { SessionManager } from '../auth';
import type { KubeSecrets } from '../KubeSecrets';
import type { Faults } from '../faults';

/** What the router needs. @public */
export interface RouterDeps {
  controller: Controller;
  sessions: SessionManager;
  kube: KubeSecrets;
  kubeToken: string;
  faults: () => Faults;
  setFaults: (f: Faults, replace: boolean) => Faults;
  adminApi: boolean;
  adminToken: string;
  setClockOffset: (ms: number) => number;
  getClockOffset: () => number;
  controllerNow: () => string;
  /** Image tags that end Degraded (besides the `broken` substring rule). */
  brokenTags: () => string[];
  setBrokenTags: (tags: string[]) => void;
  /** Called once per finished request (method, path without query, status, ms); never sees headers or bodies. */
  logRequest?: (line: string) => void;
  /** username -> projects the user may access (`*` = all); users not listed may access everything. */
  projectScopes?: Record<string, string[]>;
  /** Known accounts (for POST /api/v1/account/{name}/token). */
  accounts: () => string[];
  version: string;
}
