module.exports = {
  extends: '@loopback/eslint-config',
  parserOptions: {
    // the demo page (browser code) has a project of its own
    project: ['./tsconfig.json', './src/demo/tsconfig.page.json'],
  },
};
