/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  // Integration suites start real servers and talk to real PostgreSQL and Redis: give them room.
  testTimeout: 30000,
  // Two cores on every machine here: more workers only add contention.
  maxWorkers: 2,
};
