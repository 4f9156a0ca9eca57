export * from './types';
export * from './versions';
export * from './readPolicies';
export * from './evaluatePolicy';
