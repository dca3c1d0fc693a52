#!/usr/bin/env node
// The `tessera` command: a committed, executable entry that runs the built CLI (npm links it as node_modules/.bin/tessera).
import "../dist/main.js";
