// Runs the dunning CLI in this very process and writes its peak RSS (bytes) to fd 3 on exit.
// Same process, same code, no extra tools: getrusage's ru_maxrss, which polling /proc could miss.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(3, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
});
await import('../dist/cli.js');
