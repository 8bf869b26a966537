// Emscripten's Node branch calls require() and reads __dirname, neither of which exists in an ES
// module. Define both, only under Node (process.getBuiltinModule: Node >= 20.16), so the same
// .mjs loads unchanged in browsers, workers and bundlers.
var require =
  typeof process === 'object' && typeof process.getBuiltinModule === 'function'
    ? process.getBuiltinModule('module').createRequire(import.meta.url)
    : undefined;
var __dirname = require ? require('node:path').dirname(require('node:url').fileURLToPath(import.meta.url)) : '';
