export * from './types';
export * from './versions';
export * from './evaluatePolicy';
export * from './ports';
export * from './result';
export { PolicyService, toPolicyChange } from './PolicyService';
export type { PolicyServiceOptions } from './PolicyService';
