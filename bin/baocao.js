#!/usr/bin/env node
// The `baocao` CLI: runs the TypeScript sources through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../local/quiet-warnings.ts');
await import('../cli/main.ts');
