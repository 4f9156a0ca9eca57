import { ProjectMirrorStatus } from './ProjectMirror';
import { ArgoApplication } from '../argocd/types';

/** Kind of an application change. @public */
export type MirrorEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * One change applied to a mirror. Emitted after the mirror holds it (a read
 * inside the listener sees the new state). For `DELETED`, `application` is
 * the last object the mirror had (or what the stream sent).
 *
 * @public
 */
export interface MirrorChange {
  instance: string;
  appName: string;
  appNamespace?: string;
  type: MirrorEventType;
  application: ArgoApplication;
}

/** Receives mirror changes; errors it throws are logged and ignored. @public */
export type MirrorListener = (change: MirrorChange) => void;

/** What a mirror knows about itself (for status pages and benchmarks). @public */
export interface MirrorStatus {
  instance: string;
  /** Listed and watching: reads may be served from the mirror. */
  live: boolean;
  /** Last resourceVersion seen (list or event). */
  resourceVersion?: string;
  /** Applications held (bound in full, the others as a small skeleton). */
  apps: number;
  /** Applications held in full (a binding maps them to an entity). */
  boundApps: number;
  /** Rough size of what is held, in bytes (JSON length of the objects, UTF-16). */
  approxBytes: number;
  /** Stream (re)connections after the first. */
  reconnects: number;
  /** Full re-lists after the first list. */
  resyncs: number;
  /** Periodic lists merged while the stream was open. */
  relists: number;
  malformedLines: number;
  lastEventAt?: string;
  /** Why the stream is down (our error message, never an upstream body). */
  lastError?: string;
  /** The AppProjects held for sync windows (absent when none are held). */
  projects?: ProjectMirrorStatus;
}

/** Settings of the mirrors (`gitops.mirror`). @public */
export interface MirrorConfig {
  enabled: boolean;
  /** First reconnect delay. */
  initialBackoffMs: number;
  /** Longest reconnect delay. */
  maxBackoffMs: number;
  /** Consecutive failed reconnects after which the mirror re-lists instead of resuming. */
  resyncAfterFailures: number;
  /** A list merged by resourceVersion this often while the stream is open (0: never; default 10 minutes). */
  relistIntervalMs?: number;
  /** AppProjects (for sync windows) re-listed this often (default 1 minute). */
  projectsRefreshMs?: number;
}

/** @public */
export const DEFAULT_MIRROR_CONFIG: MirrorConfig = {
  enabled: true,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  resyncAfterFailures: 5,
  relistIntervalMs: 600_000,
  projectsRefreshMs: 60_000,
};
