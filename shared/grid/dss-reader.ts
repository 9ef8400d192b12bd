// OpenDSS script reader for the subset the IEEE test feeders use: New/Edit/~, Redirect/Compile, Set, BusCoords,
// Open/Close, Class.Name.prop= edits. Produces raw objects with file:line for every property; build-model interprets them.
import { AppError } from '../errors';
import { parseParams, stripComment, toNumbers, type DssParam } from './dss-tokens';

/** Returns the text of a file, or undefined when it does not exist. Must match names case-insensitively. */
export type DssResolver = (path: string) => string | undefined;

export interface SourceRef {
  file: string;
  line: number;
}

export interface DssProp extends DssParam {
  at: SourceRef;
}

export interface DssObject {
  cls: string; // lower-case class: circuit, line, linecode, load, capacitor, transformer, regcontrol, energymeter
  name: string; // as written
  props: DssProp[];
  at: SourceRef;
}

export interface DssDocument {
  objects: DssObject[];
  options: Record<string, { value: string; at: SourceRef }>;
  busCoords: Map<string, { x: number; y: number }>; // lower-case bus name
  switchOps: { cls: string; name: string; open: boolean; at: SourceRef }[];
  ignored: { command: string; at: SourceRef }[]; // output-only commands (Show, Plot, ...)
}

export const SUPPORTED_CLASSES = ['circuit', 'vsource', 'line', 'linecode', 'load', 'capacitor', 'transformer', 'regcontrol', 'energymeter'];
const OUTPUT_COMMANDS = ['show', 'plot', 'export', 'interpolate', 'help', 'visualize', 'summary'];
const SET_OPTIONS = ['defaultbasefrequency', 'voltagebases', 'controlmode', 'maxcontroliter', 'mode', 'maxiterations', 'tolerance', 'marktransformers', 'algorithm', 'frequency', 'basefrequency'];

export function parseError(at: SourceRef, reason: string, info: Record<string, unknown> = {}): AppError {
  return new AppError('PARSE_ERROR', `${at.file}:${at.line}: ${reason}`, { file: at.file, line: at.line, reason, ...info });
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

/** Reads a DSS script and everything it redirects to. `file` is the path handed to `resolve`. */
export function readDss(file: string, resolve: DssResolver): DssDocument {
  const doc: DssDocument = { objects: [], options: {}, busCoords: new Map(), switchOps: [], ignored: [] };
  const byKey = new Map<string, DssObject>();
  let active: DssObject | undefined;
  const stack: string[] = [];

  const find = (cls: string, name: string, at: SourceRef): DssObject => {
    const o = byKey.get(`${cls}.${name.toLowerCase()}`);
    if (!o) throw parseError(at, `${cls}.${name} is not defined`);
    return o;
  };

  const readFile = (path: string, at?: SourceRef): void => {
    const text = resolve(path);
    if (text === undefined) throw at ? parseError(at, `cannot find redirected file ${path}`, { missing: path }) : new AppError('NOT_FOUND', `DSS file not found: ${path}`, { file: path });
    if (stack.includes(path.toLowerCase())) throw parseError(at ?? { file: path, line: 0 }, `redirect loop through ${path}`);
    stack.push(path.toLowerCase());
    let inBlock = false;
    const lines = text.split('\n');
    for (let ln = 0; ln < lines.length; ln++) {
      const at: SourceRef = { file: path, line: ln + 1 };
      let raw = lines[ln];
      if (inBlock) {
        if (raw.includes('*/')) inBlock = false;
        continue;
      }
      if (raw.trim().startsWith('/*')) {
        inBlock = !raw.includes('*/', raw.indexOf('/*') + 2);
        continue;
      }
      raw = stripComment(raw).trim();
      if (!raw) continue;
      let cmd: string;
      let rest: string;
      if (raw.startsWith('~')) {
        cmd = 'more';
        rest = raw.slice(1);
      } else {
        const m = /^(\S+?)(?:\s+|$|(?==))/.exec(raw) as RegExpExecArray;
        cmd = m[1].toLowerCase();
        rest = raw.slice(m[0].length);
      }
      const params = (): DssProp[] => parseParams(rest).map((p) => ({ ...p, at }));
      switch (cmd) {
        case 'clear':
          doc.objects = [];
          byKey.clear();
          active = undefined;
          break;
        case 'new': {
          const ps = params();
          if (!ps.length) throw parseError(at, 'New needs an element name');
          const first = ps.shift() as DssProp;
          const spec = first.name === 'object' || first.name === '' ? first.value : '';
          const dot = spec.indexOf('.');
          if (dot < 1) throw parseError(at, `New expects Class.Name, got "${first.value}"`);
          const cls = spec.slice(0, dot).toLowerCase();
          const name = spec.slice(dot + 1);
          if (!SUPPORTED_CLASSES.includes(cls)) throw parseError(at, `unsupported element class "${cls}"`, { cls });
          const obj: DssObject = { cls: cls === 'vsource' ? 'circuit' : cls, name, props: ps, at };
          const key = `${obj.cls}.${name.toLowerCase()}`;
          if (byKey.has(key) && obj.cls !== 'circuit') throw parseError(at, `${cls}.${name} is defined twice`);
          if (obj.cls === 'circuit' && doc.objects.some((o) => o.cls === 'circuit')) throw parseError(at, 'a second circuit is not supported');
          byKey.set(key, obj);
          doc.objects.push(obj);
          active = obj;
          break;
        }
        case 'more':
          if (!active) throw parseError(at, 'continuation line (~) without an active element');
          active.props.push(...params());
          break;
        case 'edit': {
          const ps = params();
          const spec = ps.shift()?.value ?? '';
          const dot = spec.indexOf('.');
          active = find(spec.slice(0, dot).toLowerCase(), spec.slice(dot + 1), at);
          active.props.push(...ps);
          break;
        }
        case 'redirect':
        case 'compile': {
          const target = (parseParams(rest)[0]?.value ?? '').replace(/^\(|\)$/g, '').trim();
          if (!target) throw parseError(at, `${cmd} needs a file name`);
          readFile(target.startsWith('/') ? target : dirOf(path) + target, at);
          break;
        }
        case 'set':
          for (const p of params()) {
            if (!SET_OPTIONS.includes(p.name)) throw parseError(at, `unsupported option "Set ${p.name}"`);
            doc.options[p.name] = { value: p.value, at };
          }
          break;
        case 'calcv':
        case 'calcvoltagebases':
        case 'solve':
          break;
        case 'buscoords':
        case 'buscoordinates': {
          const target = (parseParams(rest)[0]?.value ?? '').trim();
          const p = dirOf(path) + target;
          const t = resolve(p);
          if (t === undefined) throw parseError(at, `cannot find bus coordinate file ${target}`);
          readBusCoords(t, p, doc.busCoords);
          break;
        }
        case 'open':
        case 'close': {
          const spec = parseParams(rest)[0]?.value ?? '';
          const dot = spec.indexOf('.');
          const o = find(spec.slice(0, dot).toLowerCase(), spec.slice(dot + 1), at);
          doc.switchOps.push({ cls: o.cls, name: o.name, open: cmd === 'open', at });
          break;
        }
        default: {
          if (OUTPUT_COMMANDS.includes(cmd)) {
            doc.ignored.push({ command: cmd, at });
            break;
          }
          // Class.Name.property=value shorthand edit (used by the run scripts to set taps and RegControl limits)
          const parts = cmd.split('.');
          if (parts.length >= 3 && SUPPORTED_CLASSES.includes(parts[0])) {
            const o = find(parts[0], parts[1], at);
            const ps = parseParams(raw.slice(parts[0].length + parts[1].length + 2)).map((p) => ({ ...p, at }));
            o.props.push(...ps);
            active = o;
            break;
          }
          throw parseError(at, `unknown command "${cmd}"`, { command: cmd });
        }
      }
    }
    if (inBlock) throw parseError({ file: path, line: lines.length }, 'unterminated /* comment');
    stack.pop();
  };

  readFile(file);
  return doc;
}

/** `bus, x, y` (CSV) or `bus x y` (whitespace) rows; blank lines ignored. */
export function readBusCoords(text: string, file: string, into: Map<string, { x: number; y: number }>): void {
  text.split('\n').forEach((line, i) => {
    const t = stripComment(line).trim();
    if (!t) return;
    const [name, ...xy] = t.split(/[\s,]+/);
    const [x, y] = toNumbers(xy.join(' '));
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw parseError({ file, line: i + 1 }, `bad coordinate row "${t}"`);
    into.set(name.toLowerCase(), { x, y });
  });
}
