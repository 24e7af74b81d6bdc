// Regenerates schema/questionnaire.schema.json from the built package (`npm run schema` builds first),
// formatted the way the repository's Prettier formats JSON, so `npm run format` leaves it alone.
const fs = require('node:fs');
const path = require('node:path');
const prettier = require('prettier');
const { QUESTIONNAIRE_JSON_SCHEMA } = require('../dist/json-schema.js');

async function main() {
  const file = path.join(__dirname, '..', 'schema', 'questionnaire.schema.json');
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(
    file,
    await prettier.format(JSON.stringify(QUESTIONNAIRE_JSON_SCHEMA), { ...options, parser: 'json' }),
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
