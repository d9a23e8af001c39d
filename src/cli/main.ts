#!/usr/bin/env node
import { Command } from 'commander';
import { registerIngestCommands } from './commands/ingest.js';
import { registerPulseCommands } from './commands/pulse.js';
import { registerEisCommands } from './commands/eis.js';
import { registerAnalysisCommands } from './commands/analysis.js';
import { registerPowertrainCommands } from './commands/powertrain.js';
import { registerCatalogueCommands } from './commands/catalogue.js';
import { registerServeCommands } from './commands/serve.js';
import { registerRankCommands } from './commands/rank.js';
import { registerAbuseCommands } from './commands/abuse.js';
import { registerDemoCommands } from './commands/demo.js';

/**
 * The `discern` command. Each family of commands lives in src/cli/commands/<family>.ts and
 * registers itself here; commands parse argv, call src/app, and print (text or --json).
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('discern')
    .description('Battery-cell lab data: instrument files in, trustworthy numbers and decisions out')
    .version('0.1.0')
    .showHelpAfterError();
  registerIngestCommands(program);
  registerPulseCommands(program);
  registerEisCommands(program);
  registerAnalysisCommands(program);
  registerPowertrainCommands(program);
  registerCatalogueCommands(program);
  registerServeCommands(program);
  registerRankCommands(program);
  registerAbuseCommands(program);
  registerDemoCommands(program);
  return program;
}

// `discern ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
await buildProgram().parseAsync(process.argv);
