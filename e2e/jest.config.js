/** @type {import('jest').Config} */
module.exports = { ...require('../jest.preset.js'), testTimeout: 180000 };
