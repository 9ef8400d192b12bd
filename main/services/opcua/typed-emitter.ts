// Events typed as a map (STYLE.md §5): the compiler checks every emit and every listener against one declaration.
import { EventEmitter } from 'node:events';

export class TypedEmitter<E extends { [K in keyof E]: unknown[] }> {
  private readonly ee = new EventEmitter();
  constructor() {
    this.ee.setMaxListeners(50);
  }
  on<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.ee.on(event, fn as (...a: unknown[]) => void);
    return this;
  }
  once<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.ee.once(event, fn as (...a: unknown[]) => void);
    return this;
  }
  off<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.ee.off(event, fn as (...a: unknown[]) => void);
    return this;
  }
  protected emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    this.ee.emit(event, ...args);
  }
}
