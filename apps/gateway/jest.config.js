/**
 * The shared preset as it is. Swagger UI is served through @fastify/static, which requires
 * content-disposition 3, an ES module: under `--experimental-vm-modules` (the test script) Jest
 * loads it natively, as Node 24 does; compiling it to CommonJS, as was needed before, now breaks
 * it ("exports is not defined", the package being `"type": "module"`).
 */
/** @type {import('jest').Config} */
module.exports = require('../../jest.preset.js');
