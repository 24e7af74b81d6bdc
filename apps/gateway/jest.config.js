const preset = require('../../jest.preset.js');

/**
 * The shared preset, plus one exception: Swagger UI is served through @fastify/static, which
 * requires content-disposition 3, an ESM-only package. Node 20.19+ loads it natively (require of
 * ESM), but Jest's module runtime does not before Node 24.9, so under Jest that one package is
 * compiled to CommonJS.
 */
/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  transform: {
    ...preset.transform,
    '/node_modules/content-disposition/.+\\.js$': [
      'ts-jest',
      {
        isolatedModules: true,
        tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', target: 'es2022' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
};
