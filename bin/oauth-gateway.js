#!/usr/bin/env node
'use strict';
// The CLI runs the compiled code; `npm start` and `npm run build` produce dist/.
require('reflect-metadata');
require('../dist/src/main.js').main(process.argv).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(err && err.message ? err.message : String(err)); process.exitCode = 1; },
);
