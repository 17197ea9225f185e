#!/usr/bin/env node
// The `vrfleak` executable: the command line of commands.ts on the process's stdio. `run` keeps the
// process alive until SIGINT/SIGTERM and then stops the daemon cleanly (Cease to every peer).

import { runCli } from './commands.js';

const code = await runCli(
  process.argv.slice(2),
  { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
  {
    keepRunning(stop) {
      let stopping = false;
      const onSignal = () => {
        if (stopping) return;
        stopping = true;
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
  },
);
process.exitCode = code;
