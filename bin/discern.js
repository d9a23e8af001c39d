#!/usr/bin/env node
// Entry point for `npx discern`: runs the compiled CLI (built by `npm install` through `prepare`).
import '../dist/cli/main.js';
