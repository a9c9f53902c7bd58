export * from './job';
export * from './api';
export * from './attempt';
