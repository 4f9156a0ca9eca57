export { createSignals } from './createSignals';
export type { GitOpsSignals } from './createSignals';
export { readSignalSettings } from './config';
export type { SignalSettings } from './config';
export { Coalescer } from './Coalescer';
export {
  DEFAULT_SIGNAL_WINDOW_MS,
  GitOpsSignalPublisher,
} from './GitOpsSignalPublisher';
export type { MovedChange } from './GitOpsSignalPublisher';
export { EnvironmentSignals } from './EnvironmentSignals';
export type {
  ApplicationChange,
  ApplicationChangeSource,
} from './EnvironmentSignals';
export { SignallingChangeStore } from './SignallingChangeStore';
export { applicationTargets } from './applicationTargets';
export { applicationFingerprint } from './applicationFingerprint';
