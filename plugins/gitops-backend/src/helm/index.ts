export * from './config';
export * from './decodeRelease';
export * from './HelmReleaseReader';
export * from './helmReleaseReaderServiceRef';
