// Graph questions the engine asks of the feeder: which buses lie behind a PCC branch, which are still connected
// to the substation for a given switch state, and hop distance (for placing PMUs and reporting).
import type { FeederTopology, TopoBranch } from './grid-solver';

export class FeederGraph {
  private adj = new Map<string, Array<{ bus: string; branch: TopoBranch }>>();

  constructor(readonly topo: FeederTopology) {
    for (const b of topo.buses) this.adj.set(b.name, []);
    for (const br of topo.branches) {
      this.adj.get(br.from)?.push({ bus: br.to, branch: br });
      this.adj.get(br.to)?.push({ bus: br.from, branch: br });
    }
  }

  hasBus(name: string): boolean {
    return this.adj.has(name);
  }

  branch(name: string): TopoBranch | undefined {
    return this.topo.branches.find((b) => b.name === name);
  }

  isClosed(br: TopoBranch, switches: Record<string, boolean>): boolean {
    return switches[br.name] ?? !br.normallyOpen;
  }

  /** Buses reachable from `start` over closed branches, never crossing `blocked`. */
  reach(start: string, switches: Record<string, boolean>, blocked?: string): Set<string> {
    const seen = new Set<string>([start]);
    const stack = [start];
    while (stack.length) {
      const u = stack.pop()!;
      for (const { bus, branch } of this.adj.get(u) ?? []) {
        if (branch.name === blocked || !this.isClosed(branch, switches) || seen.has(bus)) continue;
        seen.add(bus);
        stack.push(bus);
      }
    }
    return seen;
  }

  /** Buses on the far side of `branchName` from the substation, with every other branch in its normal state. */
  behind(branchName: string): Set<string> {
    const br = this.branch(branchName);
    if (!br) return new Set();
    const sourceSide = this.reach(this.topo.sourceBus, {}, branchName);
    const far = sourceSide.has(br.from) ? br.to : br.from;
    const out = this.reach(far, {}, branchName);
    for (const b of sourceSide) out.delete(b);
    return out;
  }

  /** Hop count from the substation over normally closed branches. */
  depth(): Map<string, number> {
    const d = new Map<string, number>([[this.topo.sourceBus, 0]]);
    const queue = [this.topo.sourceBus];
    while (queue.length) {
      const u = queue.shift()!;
      for (const { bus, branch } of this.adj.get(u) ?? []) {
        if (branch.normallyOpen || d.has(bus)) continue;
        d.set(bus, d.get(u)! + 1);
        queue.push(bus);
      }
    }
    return d;
  }
}
