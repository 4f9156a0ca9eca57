export * from './types';
export * from './versions';
export * from './evaluatePolicy';
