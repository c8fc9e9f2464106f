#!/usr/bin/env node
// The fairdraw CLI. The engine is TypeScript run through tsx, so no build step stands between an edit and a run.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
