// Unit tests of the console: Jest with jest-preset-angular (jsdom, zoneless TestBed).
module.exports = {
  displayName: 'console',
  preset: 'jest-preset-angular',
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.(ts|js|mjs|html|svg)$': [
      'jest-preset-angular',
      { tsconfig: '<rootDir>/tsconfig.spec.json', stringifyContentPathRegex: '\\.(html|svg)$' },
    ],
  },
  transformIgnorePatterns: [
    'node_modules/(?!.*\\.mjs$|@apollo|apollo-angular|graphql-ws|@jsverse|@wry|optimism|rehackt|@graphql-typed-document-node)',
  ],
};
