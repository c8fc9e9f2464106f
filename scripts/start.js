#!/usr/bin/env node
// `npm start`: the server with a heap limit that suits FAIRDRAW_MEMORY_LIMIT (engine/src/kernel/memory.ts), so V8 does
// not grow lazily into gigabytes under load. Signals go on to the server, and its exit code comes back.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { heapLimitMb } = await import('../engine/src/kernel/memory.ts');
const cli = fileURLToPath(new URL('../engine/bin/fairdraw.js', import.meta.url));
const server = spawn(process.execPath, [`--max-old-space-size=${heapLimitMb()}`, cli, 'serve', '--build-if-needed', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
