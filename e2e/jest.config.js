/**
 * `npm test` runs every end-to-end suite, the portal's browser journeys (`portal-*.e2e.test.ts`)
 * included; `npm run test:portal` (PORTAL_E2E=1) runs only the journeys.
 */
const portalOnly = process.env.PORTAL_E2E === '1';

/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.js'),
  // Start-up and the sample loader (two cycles since the portal) take minutes on two shared cores.
  testTimeout: 300000,
  ...(portalOnly ? { testMatch: ['**/portal-*.e2e.test.ts'] } : {}),
};
