import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDssModel } from '../../../shared/grid/build-model';
import { feederGeometry } from '../../../shared/display/feeder-geometry';
import { ANSI_C84_1, VoltageClass, classifyVoltage, worstDeviation } from '../../../shared/display/voltage-class';

const dir = join(__dirname, '../../../resources/feeders/ieee123');
const resolve = (p: string): string | undefined => {
  const name = readdirSync(dir).find((f) => f.toLowerCase() === p.split(/[\\/]/).pop()!.toLowerCase());
  return name ? readFileSync(join(dir, name), 'utf8') : undefined;
};

describe('ANSI C84.1 voltage classes', () => {
  it('judges low on the lowest phase and high on the highest, B before A', () => {
    expect(classifyVoltage(0.96, 1.04)).toBe(VoltageClass.Normal);
    expect(classifyVoltage(0.95, 1.05)).toBe(VoltageClass.Normal); // limits are inside Range A
    expect(classifyVoltage(0.949, 1.0)).toBe(VoltageClass.LowA);
    expect(classifyVoltage(1.0, 1.051)).toBe(VoltageClass.HighA);
    expect(classifyVoltage(0.916, 1.0)).toBe(VoltageClass.LowB);
    expect(classifyVoltage(0.94, 1.059)).toBe(VoltageClass.HighB);
    expect(classifyVoltage(0.9, 1.07)).toBe(VoltageClass.LowB);
    expect(classifyVoltage(Number.NaN, Number.NaN)).toBe(VoltageClass.NoData);
    expect(classifyVoltage(0.94, 1.0, { ...ANSI_C84_1, rangeA: [0.9, 1.1] })).toBe(VoltageClass.Normal);
    expect(worstDeviation(0.97, 1.01)).toBeCloseTo(-0.03);
  });
});

describe('feeder geometry', () => {
  it('places every IEEE 123 bus and keeps every branch between known buses', () => {
    const text = readFileSync(join(dir, 'BusCoords.dat'), 'utf8');
    const model = loadDssModel('IEEE123Master.dss', resolve, { file: 'BusCoords.dat', text });
    const g = feederGeometry(model);
    expect(g.buses.length).toBe(model.buses.length);
    expect(g.buses.length).toBeGreaterThan(120);
    expect(g.x.every(Number.isFinite)).toBe(true);
    // The published coordinates cover most buses; regulator secondaries are derived from a neighbour.
    expect(g.placed.filter(Boolean).length).toBeGreaterThan(110);
    expect(g.branches.length).toBeGreaterThanOrEqual(model.lines.length);
    expect(g.branches.some((b) => b.kind === 'regulator')).toBe(true);
    const [minX, minY, maxX, maxY] = g.bounds;
    expect(maxX).toBeGreaterThan(minX);
    expect(maxY).toBeGreaterThan(minY);
  });
});
