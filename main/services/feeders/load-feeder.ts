// Loads the feeders the app ships (resources/feeders) or any DSS file into a FeederModel, with a resolver that
// matches file names case-insensitively (the OpenDSS scripts say `IEEELineCodes.dss`, the file is `.DSS`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../shared/errors';
import { loadDssModel } from '../../../shared/grid/build-model';
import type { DssResolver } from '../../../shared/grid/dss-reader';
import type { FeederModel } from '../../../shared/grid/feeder-model';

export type FeederName = 'ieee13' | 'ieee34' | 'ieee123';

/** Master script and coordinate file of each shipped feeder. ieee123 uses the variant whose switches carry
 *  switch=yes and whose ties Sw7/Sw8 are open, so the simulator can operate them; it solves identically. */
export const FEEDERS: Record<FeederName, { master: string; coords?: string }> = {
  ieee13: { master: 'ieee13/IEEE13Nodeckt.dss' }, // its script loads IEEE13Node_BusXY.csv itself
  ieee34: { master: 'ieee34/ieee34Mod1.dss', coords: 'ieee34/IEEE34_BusXY.csv' },
  ieee123: { master: 'ieee123/IEEE123Switches.dss', coords: 'ieee123/BusCoords.dat' },
};

export function feedersDir(): string {
  const env = process.env.EXERGY_FEEDERS_DIR;
  if (env) return env;
  // Sources (main/services/feeders), the bundle (out/main, or a chunk folder below it), a packaged app's resources.
  const here = dirname(fileURLToPath(import.meta.url));
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [resolve(here, '../../../resources/feeders'), resolve(here, '../../resources/feeders'), ...(packaged ? [join(packaged, 'feeders'), join(packaged, 'app.asar.unpacked/resources/feeders')] : []), resolve(process.cwd(), 'resources/feeders')];
  return candidates.find((c) => existsSync(join(c, 'ieee123'))) ?? candidates[0];
}

/** Reads files by path, matching the last component case-insensitively within its directory. */
export function caseInsensitiveResolver(): DssResolver {
  const listings = new Map<string, string[]>();
  return (path: string) => {
    const p = isAbsolute(path) ? path : resolve(path);
    if (existsSync(p) && statSync(p).isFile()) return readFileSync(p, 'utf8');
    const dir = dirname(p);
    let names = listings.get(dir);
    if (!names) {
      try { names = readdirSync(dir); } catch { return undefined; }
      listings.set(dir, names);
    }
    const hit = names.find((n) => n.toLowerCase() === basename(p).toLowerCase());
    return hit ? readFileSync(join(dir, hit), 'utf8') : undefined;
  };
}

/** A shipped feeder by name, or a DSS master file by path. Throws PARSE_ERROR (file, line) or NOT_FOUND. */
export function loadFeeder(nameOrPath: FeederName | string, opts: { dir?: string } = {}): FeederModel {
  const dir = opts.dir ?? feedersDir();
  const read = caseInsensitiveResolver();
  const known = FEEDERS[nameOrPath as FeederName];
  if (!known) {
    if (!/\.dss$/i.test(nameOrPath)) throw new AppError('NOT_FOUND', `unknown feeder "${nameOrPath}" (ieee13, ieee34, ieee123 or a .dss path)`, { feeder: nameOrPath });
    return loadDssModel(resolve(nameOrPath), read);
  }
  const coords = known.coords ? { file: join(dir, known.coords), text: read(join(dir, known.coords)) ?? '' } : undefined;
  return loadDssModel(join(dir, known.master), read, coords);
}
