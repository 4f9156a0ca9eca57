import {
  EnvironmentApplication,
  WindowState,
} from '@internal/plugin-gitops-common';
import { Pipeline, PipelineEnvironment } from '../pipeline';

/**
 * Hook for the sync-window module (`src/windows/`): computes
 * `EnvironmentState.window`. When none is given, `window` stays undefined.
 *
 * @public
 */
export interface WindowStateProvider {
  getWindowState(options: {
    entityRef: string;
    pipeline: Pipeline;
    environment: PipelineEnvironment;
    application?: EnvironmentApplication;
  }): Promise<WindowState | undefined>;
}
