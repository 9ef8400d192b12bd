// `exergy simulate`: runs the feeder simulator's OPC UA server in this process (PMUs, DERs, microgrids, grey-sky
// scenarios) and prints its endpoint. Options are checked before anything starts; errors name the option.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { startSimulatorServer } from '../../services/simulator/server';
import { NAMESPACE_URI } from '../../services/simulator/catalog';

const usersSchema = z.array(z.object({ user: z.string().min(1), password: z.string().min(8), roles: z.array(z.enum(['viewer', 'operator', 'engineer'])) }).strict());

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new AppError('INVALID_ARGUMENT', `${name}: expected an integer, got "${v}"`, { field: name });
  return n;
};

export function register(program: Command): void {
  program
    .command('simulate')
    .description('run the feeder simulator as an OPC UA server and print its endpoint')
    .option('--feeder <name>', 'feeder model (ieee123)', 'ieee123')
    .option('--port <n>', 'TCP port (0 = any free port)', int('--port'), 4840)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--scenario <file>', 'scenario file (YAML or JSON); without one the default grey-sky loop runs')
    .option('--speed <n>', 'simulated seconds per wall-clock second', (v) => Number(v), 1)
    .option('--seed <n>', 'random seed (noise, default loop)', int('--seed'), 1)
    .option('--pki <dir>', 'certificate folder (created offline on first start)')
    .option('--users <file>', 'users allowed to operate: YAML/JSON list of {user, password, roles: [operator|engineer]}')
    .option('--no-anonymous', 'refuse anonymous sessions')
    .action(async (o: { feeder: string; port: number; host: string; scenario?: string; speed: number; seed: number; pki?: string; users?: string; anonymous: boolean }) => {
      if (o.port < 0 || o.port > 65535) throw new AppError('INVALID_ARGUMENT', '--port: expected 0-65535', { field: '--port' });
      let users: z.infer<typeof usersSchema> = [];
      if (o.users) {
        const parsed = usersSchema.safeParse(parseYaml(readFileSync(o.users, 'utf8')));
        if (!parsed.success) throw new AppError('INVALID_ARGUMENT', `--users ${o.users}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { field: '--users' });
        users = parsed.data;
      }
      const h = await startSimulatorServer({
        feeder: o.feeder,
        port: o.port,
        host: o.host,
        speed: o.speed,
        seed: o.seed,
        ...(o.scenario ? { scenarioFile: resolve(o.scenario) } : {}),
        pkiDir: o.pki ? resolve(o.pki) : join(process.env.EXERGY_DATA ?? join(homedir(), '.exergy'), 'simulator-pki'),
        users,
        allowAnonymous: o.anonymous,
      });
      const cat = h.getCatalog();
      process.stdout.write(`${h.endpointUrl}\n`);
      process.stderr.write(`exergy simulate: ${o.feeder}, ${cat.signals.length} signals under ${NAMESPACE_URI}, speed ${o.speed}x, seed ${o.seed}${o.scenario ? `, scenario ${o.scenario}` : ', default grey-sky loop'}\n`);
      const stop = async (): Promise<void> => {
        await h.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
