// The `exergy` command: one program, one subcommand per file in ./commands, all over the same core services.
import { Command } from 'commander';

// Each command module exports `register(program)`. Add yours to this table. Only the invoked command's module is
// loaded, so `exergy analyze | jq` never sees what another command's dependencies print at import time.
const commands: Record<string, () => Promise<{ register(program: Command): void }>> = {
  serve: () => import('./commands/serve'),
  simulate: () => import('./commands/simulate'),
  analyze: () => import('./commands/analyze'),
  probe: () => import('./commands/probe'),
};

export async function main(argv: string[]): Promise<void> {
  const program = new Command('exergy').description('Exergy Console: control-room services from the command line').version('0.1.0');
  const invoked = commands[argv[2] ?? ''];
  for (const load of invoked ? [invoked] : Object.values(commands)) (await load()).register(program);
  await program.parseAsync(argv);
}

if (process.argv[1] && /cli[\\/]index\.(ts|js)$|exergy(\.js)?$|cli\.js$/.test(process.argv[1])) {
  main(process.argv).catch((e: unknown) => {
    process.stderr.write(`exergy: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
