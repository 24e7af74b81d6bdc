// Shared Jest settings: TypeScript through ts-jest in transpile-only mode (`tsc` in the build
// type-checks), tests under src/ (unit, *.test.ts) and test/ (integration, *.int.test.ts).
// jest.setup.js sets the environment every test runs with (strict RPC error codes).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'].filter((p) => require('fs').existsSync(p.replace('<rootDir>', process.cwd()))),
  testMatch: ['**/*.test.ts'],
  setupFiles: [require('path').join(__dirname, 'jest.setup.js')],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testTimeout: 60000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
