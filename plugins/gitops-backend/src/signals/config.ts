import { Config } from '@backstage/config';

/** Settings of `gitops.signals`. @internal */
export interface SignalSettings {
  /** Whether live updates are published (default true). */
  enabled: boolean;
}

/**
 * Reads `gitops.signals` (see config.d.ts; `enabled` is visible to the
 * frontend too, which polls slowly instead when it is false).
 *
 * @internal
 */
export function readSignalSettings(config: Config): SignalSettings {
  return {
    enabled: config.getOptionalBoolean('gitops.signals.enabled') ?? true,
  };
}
