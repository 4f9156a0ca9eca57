export * from './ArgoCdClient';
export * from './argoCdClientServiceRef';
export * from './config';
export * from './errors';
export * from './types';
export * from './troubleshootingCalls';
