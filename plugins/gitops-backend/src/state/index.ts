export * from './ApplicationLocator';
export * from './GitOpsStateService';
export * from './gitopsStateServiceRef';
export * from './createStateRouter';
export * from './WindowStateProvider';
