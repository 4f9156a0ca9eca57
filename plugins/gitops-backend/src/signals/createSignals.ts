import {
  AuthService,
  LifecycleService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import type { BindingConfig } from '../binding/types';
import type { PipelineSet } from '../pipeline/Pipeline';
import type { ChangeStore } from '../store/ChangeStore';
import { readSignalSettings } from './config';
import {
  ApplicationChangeSource,
  EnvironmentSignals,
} from './EnvironmentSignals';
import { GitOpsSignalPublisher, MovedChange } from './GitOpsSignalPublisher';
import type { ViewStamps } from '../overview/ViewStamps';
import { OwnedEntities } from './OwnedEntities';
import { SignallingChangeStore } from './SignallingChangeStore';

/** The live updates, as the wiring uses them. @internal */
export interface GitOpsSignals {
  /** The change store, reporting what it commits (the store itself when signals are off). */
  wrapStore(store: ChangeStore): ChangeStore;
  /** Publishes environment changes from the mirrors' watch events (nothing when off). */
  attach(source: ApplicationChangeSource): void;
}

/**
 * Builds the live updates (Backstage signals, see `GitOpsSignalPublisher`
 * for the channels and why they carry no data): change request movements
 * from the change store, environment changes from the application mirrors.
 * Off (`gitops.signals.enabled: false`): nothing is published and the
 * store is returned unwrapped.
 *
 * @internal
 */
export function createSignals(options: {
  config: RootConfigService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  signals: SignalsService;
  catalog: Pick<CatalogService, 'getEntities'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  gitopsConfig: { bindings: BindingConfig; pipelines: PipelineSet };
  /**
   * Also told of every environment change and change movement, at once (not
   * coalesced), whether signals are on or off: the overview's `ViewStamps`.
   */
  views?: Pick<ViewStamps, 'entityChanged' | 'changeMoved'>;
}): GitOpsSignals {
  const { views } = options;
  const enabled = readSignalSettings(options.config).enabled;
  if (!enabled && !views) {
    return { wrapStore: store => store, attach: () => {} };
  }
  const logger = options.logger.child({ component: 'gitops-signals' });
  const publisher = enabled
    ? new GitOpsSignalPublisher({
        signals: options.signals,
        logger,
      })
    : undefined;
  const sink = {
    environmentChanged(ref: string, envs: string[], observedAt: number) {
      views?.entityChanged(ref);
      publisher?.environmentChanged(ref, envs, observedAt);
    },
    changeMoved(change: MovedChange) {
      views?.changeMoved(change.entityRef);
      publisher?.changeMoved(change);
    },
  };
  const owned = new OwnedEntities(options);
  const environments = new EnvironmentSignals({
    sink,
    bindings: options.gitopsConfig.bindings,
    pipelines: options.gitopsConfig.pipelines,
    ownedBy: ref => owned.of(ref),
    logger,
  });
  const detach: Array<() => void> = [];
  options.lifecycle.addShutdownHook(() => {
    detach.forEach(d => d());
    publisher?.stop();
  });
  return {
    wrapStore: store =>
      new SignallingChangeStore(store, c => sink.changeMoved(c)),
    attach: source => detach.push(environments.attach(source)),
  };
}
