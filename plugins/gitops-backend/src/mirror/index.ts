export * from './ApplicationMirror';
export * from './ApplicationMirrors';
export * from './applicationMirrorsServiceRef';
export * from './MirrorStore';
export * from './types';
export * from './ProjectMirror';
