// Dependencies published as ES modules ("type": "module"). Node 20 loads them through
// require(esm); Jest's module system does not, so both Jest configs compile them to CommonJS.
// Derived from node_modules so a new ESM dependency needs no change here.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', 'node_modules');

/** @param {string} dir */
function isModule(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type === 'module';
  } catch {
    return false;
  }
}

const names = [];
for (const entry of fs.existsSync(root) ? fs.readdirSync(root) : []) {
  if (entry.startsWith('.')) continue;
  if (entry.startsWith('@')) {
    for (const scoped of fs.readdirSync(path.join(root, entry))) {
      if (isModule(path.join(root, entry, scoped))) names.push(`${entry}/${scoped}`);
    }
  } else if (isModule(path.join(root, entry))) {
    names.push(entry);
  }
}

module.exports = names.map((name) => name.replace(/[.+]/g, '\\$&'));
