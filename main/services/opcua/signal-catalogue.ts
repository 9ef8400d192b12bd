// Stable numeric ids for signals across connections and reconnects: the id is what binary frames carry, so a
// signal keeps its id for the life of the process however often its server restarts or its mapping is resolved.
import { AppError } from '../../../shared/errors';
import { signalKey, type SignalInfo } from '../../../shared/domain/signals';

export type SignalDraft = Omit<SignalInfo, 'id' | 'key'> & { id?: number; key?: string };

export class SignalCatalogue {
  private readonly byKey = new Map<string, SignalInfo>();
  private readonly byId = new Map<number, SignalInfo>();
  private nextId = 1;

  /** Returns the signal for this draft's key, creating it with the requested or next free id. */
  register(d: SignalDraft): SignalInfo {
    const key = d.key ?? signalKey(d.kind, d.element, d.quantity, d.phase);
    const known = this.byKey.get(key);
    if (known) {
      if (d.id !== undefined && d.id !== known.id) throw new AppError('CONFLICT', `signal ${key} already has id ${known.id}, mapping asks for ${d.id}`, { key });
      return known;
    }
    let id = d.id;
    if (id !== undefined) {
      const other = this.byId.get(id);
      if (other) throw new AppError('CONFLICT', `signal id ${id} asked for by ${key} is taken by ${other.key}`, { key, id });
    } else {
      while (this.byId.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    }
    const info: SignalInfo = { ...d, id, key };
    delete (info as { rate?: unknown }).rate;
    this.byKey.set(key, info);
    this.byId.set(id, info);
    return info;
  }

  get(id: number): SignalInfo | undefined {
    return this.byId.get(id);
  }
  byKeyOf(key: string): SignalInfo | undefined {
    return this.byKey.get(key);
  }
  all(): SignalInfo[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }
}
