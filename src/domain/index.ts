export * from './paging';
export * from './sql';
export * from './storable-text';
export * from './views';
