// Stops `npm start`, `npm test` and `npm run bench` at once, saying what to do, when the Node.js
// that runs them is older than the platform's (package.json "engines"; Jest needs 24.9+ to load
// NestJS 12's ES modules).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 24 || (major === 24 && minor < 9)) {
  console.error(
    `Node.js ${process.version} is too old: the platform runs on Node 24 (24.9 or later).\n` +
      `On a machine whose own Node is older, run:  source scripts/use-node-24.sh\n` +
      `(it installs Node 24 from the npm registry under .tools/ and puts it first on PATH in this shell).`,
  );
  process.exit(1);
}
