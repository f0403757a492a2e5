// The demo, the tests and the benchmarks build their datasources with the
// package's own helper, as a host does.
export * from '../datasource';
