// `exergy analyze`: post-event analysis of a recording (the morning after a disturbance). Runs the same analytics
// service as the core and prints events, grid-connect states and inertia estimates as JSON lines.
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError, isAppError } from '../../../shared/errors';
import type { Category } from '../../../shared/grid/ieee1547';
import { AnalyticsService } from '../../services/analytics/analytics-service';
import { parseComtradeRecording } from '../../services/analytics/recording-comtrade';
import { parseRecording, type Recording } from '../../services/analytics/recording-csv';

export interface AnalyzeOptions {
  input: string;
  category?: string;
  rules?: string;
  dispute?: string[];
  all?: boolean;
}

/** Runs the analysis and writes one JSON object per line to `out`; returns the number of closed events. */
export function analyze(o: AnalyzeOptions, out: (line: string) => void): number {
  if (o.category !== undefined && !['I', 'II', 'III'].includes(o.category)) {
    throw new AppError('INVALID_ARGUMENT', `--category must be I, II or III, got "${o.category}"`, { setting: 'category' });
  }
  const read = (file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new AppError('NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { file });
    }
  };
  let rec: Recording;
  if (/\.cfg$/i.test(o.input)) {
    // COMTRADE: the .dat sits next to the .cfg (either case of extension); channel naming in recording-comtrade.ts
    const stem = o.input.slice(0, -4);
    const dat = [`${stem}.dat`, `${stem}.DAT`].find((f) => existsSync(f)) ?? `${stem}.dat`;
    rec = parseComtradeRecording(read(o.input).toString('latin1'), new Uint8Array(read(dat)), o.input);
  } else rec = parseRecording(read(o.input).toString('utf8'), o.input);
  const disputes: Record<string, string> = {};
  for (const d of o.dispute ?? []) {
    const [id, key] = d.split('=');
    if (!id || !key) throw new AppError('INVALID_ARGUMENT', `--dispute expects id=key, got "${d}"`, { setting: 'dispute' });
    disputes[id] = key;
  }
  const category = (o.category ?? 'II') as Category;
  // A command-line category applies to every DER that the header does not configure itself.
  const svc = new AnalyticsService({ rules: o.rules ?? 'ieee1547-2018', disputes, category, der: rec.der, islands: rec.islands });
  let closed = 0;
  const line = (type: string, x: object) => out(JSON.stringify({ type, ...x }));
  svc.on('event', (e) => {
    if (e.phase === 'closed') closed++;
    if (e.phase === 'closed' || o.all) line('event', e);
  });
  svc.on('state', (s) => line('state', s));
  svc.on('inertia', (r) => line('inertia', r));
  svc.on('issue', (m) => line('issue', { message: m }));
  for (const f of rec.frames) svc.ingest(f, rec.catalogue);
  svc.flush();
  line('summary', { input: o.input, rules: svc.rules.id, category, rows: rec.rows, signals: rec.catalogue.length, events: closed, counters: svc.counters(), disputes: svc.rules.choices.map((c) => ({ id: c.id, chosen: c.chosen })) });
  return closed;
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('analyze a recording (CSV: time,signal,value[,quality] after "# signal" header lines, see main/services/analytics/recording-csv.ts; or a COMTRADE .cfg with its .dat, channels named by signal key, see recording-comtrade.ts) and print events, states and inertia as JSON lines')
    .requiredOption('--input <file>', 'recording CSV, or COMTRADE .cfg (its .dat alongside)')
    .option('--category <cat>', 'IEEE 1547 abnormal performance category for DERs without their own "# der" line: I, II or III', 'II')
    .option('--rules <id>', 'rule set', 'ieee1547-2018')
    .option('--dispute <id=key...>', 'choose an alternative for a disputed number, e.g. catIII.lvMandatory2=S3')
    .option('--all', 'also print events as they open')
    .action((opts: AnalyzeOptions) => {
      try {
        analyze(opts, (l) => process.stdout.write(`${l}\n`));
      } catch (e) {
        if (!isAppError(e)) throw e;
        process.stderr.write(`exergy analyze: ${e.code}: ${e.message}\n`);
        process.exitCode = 2;
      }
    });
}
