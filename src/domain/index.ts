export * from './paging';
export * from './sql';
export * from './views';
// storable-text.ts (the text and id limits) is internal: import it by path
