// Tokenises sample lines with the TextMate grammar (as VS Code does, through vscode-textmate and the
// Oniguruma regex engine) and checks the scopes of a few tokens. Run: npm test
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function grammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.mirage') return null;
      const file = path.join(__dirname, '..', 'syntaxes', 'mirage.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  return registry.loadGrammar('source.mirage');
}

/** Map from token text to the innermost scope of its first occurrence, for one line. */
function scopes(g, line) {
  const r = g.tokenizeLine(line, vsctm.INITIAL);
  const result = {};
  for (const t of r.tokens) {
    const text = line.substring(t.startIndex, t.endIndex);
    if (!(text in result)) {
      result[text] = t.scopes[t.scopes.length - 1];
    }
  }
  return result;
}

(async () => {
  const g = await grammar();
  let s = scopes(g, 'key port : port = 8080 "TCP port" // the port');
  assert.strictEqual(s['key'], 'keyword.declaration.mirage');
  assert.strictEqual(s['port'], 'variable.other.constant.mirage'); // the first: the name
  assert.strictEqual(s['8080'], 'constant.numeric.integer.mirage');
  assert.strictEqual(s['"'], 'string.quoted.double.mirage');
  assert.strictEqual(s['// the port'], 'comment.line.double-slash.mirage');

  s = scopes(g, 'device http = http_server(default_stack, port)');
  assert.strictEqual(s['device'], 'keyword.declaration.mirage');
  assert.strictEqual(s['http'], 'variable.other.definition.mirage');
  assert.strictEqual(s['http_server'], 'entity.name.function.call.mirage');
  assert.strictEqual(s['default_stack'], 'variable.other.mirage');

  s = scopes(g, 'key ipv4 : ipv4-prefix = 10.0.0.2/24 configure');
  assert.strictEqual(s['ipv4-prefix'], 'support.type.primitive.mirage');
  assert.strictEqual(s['10.0.0.2/24'], 'constant.numeric.ipv4.mirage');
  assert.strictEqual(s['configure'], 'keyword.other.mirage');

  s = scopes(g, 'key kv_ro : choice(crunch, direct) = crunch configure grouped');
  assert.strictEqual(s['grouped'], 'keyword.other.mirage');

  s = scopes(g, 'key ipv6 : list(ipv6-prefix) = []');
  assert.strictEqual(s['ipv6-prefix'], 'support.type.primitive.mirage');

  s = scopes(g, 'device nic = match target { unix -> tap("tap0") xen, arm -> netfront(0) }');
  assert.strictEqual(s['match'], 'keyword.control.mirage');
  assert.strictEqual(s['->'], 'keyword.operator.arrow.mirage');
  assert.strictEqual(s['target'], 'keyword.other.mirage');

  s = scopes(g, 'job org.example.slides.SlideServer(default_console)');
  assert.strictEqual(s['org.example.slides.SlideServer'], 'entity.name.type.class.mirage');

  s = scopes(g, 'key timeout : duration = 30s');
  assert.strictEqual(s['30s'], 'constant.numeric.duration.mirage');

  // a block comment spanning lines
  const first = g.tokenizeLine('/* one', vsctm.INITIAL);
  const second = g.tokenizeLine('two */ device', first.ruleStack);
  assert.strictEqual(second.tokens[0].scopes[second.tokens[0].scopes.length - 1], 'comment.block.mirage');
  console.log('grammar: ok');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
