/**
 * Types, annotations and permissions shared by the GitOps frontend and backend plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './state';
export * from './changes';
export * from './permissions';
export * from './api';
export * from './troubleshooting';
export * from './verification';
export * from './fleet';
export * from './signals';
export * from './images';
export * from './overview';
