// Switching tags (hold, do-not-operate) on devices: while one is in force, commands on that device are refused
// with INTERLOCK. Kept in <data>/db/tags.json so a restart does not silently lift a tag.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SwitchingTag } from '../../../shared/contract/areas/grid';
import { AppError } from '../../../shared/errors';

export class SwitchingTags {
  private tags: SwitchingTag[] = [];

  constructor(private readonly file: string) {
    if (!existsSync(file)) return;
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (Array.isArray(raw)) this.tags = raw.filter((t): t is SwitchingTag => typeof t?.device === 'string' && (t.kind === 'hold' || t.kind === 'do-not-operate'));
    } catch (e) {
      // a corrupt file must not lift tags silently: refuse to start the service with the reason
      throw new AppError('PARSE_ERROR', `${file}: ${(e as Error).message}`, { file });
    }
  }

  list(): SwitchingTag[] {
    return this.tags.map((t) => ({ ...t }));
  }

  set(device: string, kind: SwitchingTag['kind'], by: string, note?: string): SwitchingTag[] {
    if (!this.tags.some((t) => t.device === device && t.kind === kind)) this.tags.push({ device, kind, by, at: Date.now(), ...(note ? { note } : {}) });
    this.save();
    return this.list();
  }

  clear(device: string, kind?: SwitchingTag['kind']): SwitchingTag[] {
    const before = this.tags.length;
    this.tags = this.tags.filter((t) => !(t.device === device && (kind === undefined || t.kind === kind)));
    if (this.tags.length === before) throw new AppError('NOT_FOUND', `no ${kind ?? ''} tag on ${device}`.replace('  ', ' '), { device });
    this.save();
    return this.list();
  }

  /** Throws INTERLOCK when any of the devices carries a tag. */
  check(devices: string[]): void {
    const hit = this.tags.find((t) => devices.some((d) => d.toLowerCase() === t.device.toLowerCase()));
    if (hit) throw new AppError('INTERLOCK', `${hit.device} is tagged ${hit.kind} by ${hit.by}${hit.note ? ` (${hit.note})` : ''}: command refused`, { device: hit.device, tag: hit.kind });
  }

  private save(): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.tags, null, 1));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
