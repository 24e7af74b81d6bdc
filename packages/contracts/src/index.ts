export * from './common';
export * from './errors';
export * from './registry';
export * from './intake';
export * from './subjects';
export * from './rpc';
export * from './events';
export * from './headers';
