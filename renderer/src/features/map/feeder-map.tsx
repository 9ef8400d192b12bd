// The feeder map: deck.gl in an orthographic view over the schematic coordinates (no basemap), buses coloured by
// their worst phase against ANSI C84.1, styled measured/estimated/unknown, microgrid boundaries by grid-connect state,
// DER and PMU symbols, markers on open events. Layers are pure functions of typed arrays (STYLE.md §8).
import { OrthographicView, type PickingInfo } from '@deck.gl/core';
import { LineLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import DeckGL from '@deck.gl/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FeederInfo, GridState, LiveEvent } from '../../../../shared/contract/areas/grid';
import { hull, liveMapData, padPolygon, staticMapData, type Rgba } from './map-data';

const MG_COLOR: Record<string, Rgba> = { Parallel: [140, 146, 152, 255], Islanded: [110, 180, 255, 255], RideThrough: [255, 201, 77, 255], Unknown: [200, 120, 255, 255] };
const VIEW = new OrthographicView({ id: 'feeder', flipY: false });

export interface FeederMapProps {
  feeder: FeederInfo;
  state: GridState | null;
  events: LiveEvent[];
  version: number;
  onSelect(index: number | null): void;
  selected: number | null;
  focus?: { index: number; seq: number } | null;
}

export function FeederMap({ feeder, state, events, version, onSelect, selected, focus }: FeederMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 900, h: 600 });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth || 900, h: el.clientHeight || 600 }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const stat = useMemo(() => staticMapData(feeder), [feeder]);
  const live = useMemo(() => liveMapData(feeder, state), [feeder, state]);
  const viewState = useMemo(() => {
    const [x0, y0, x1, y1] = feeder.bounds;
    const zoom = Math.log2(Math.min(size.w / Math.max(x1 - x0, 1e-6), size.h / Math.max(y1 - y0, 1e-6)) * 0.9);
    // An event opened elsewhere centres the map on its bus, a little closer in; otherwise the whole feeder.
    if (focus) return { target: [feeder.x[focus.index], feeder.y[focus.index], 0] as [number, number, number], zoom: zoom + 1 };
    return { target: [(x0 + x1) / 2, (y0 + y1) / 2, 0] as [number, number, number], zoom };
  }, [feeder, size, focus]);

  // A test and support hook: where a bus is on screen, and which class it is drawn in.
  useEffect(() => {
    const w = window as unknown as { __exergyMap?: unknown };
    w.__exergyMap = {
      busScreen(name: string): [number, number] | null {
        const i = feeder.buses.indexOf(name);
        if (i < 0) return null;
        const scale = 2 ** viewState.zoom;
        const r = box.current?.getBoundingClientRect();
        if (!r) return null;
        return [r.left + r.width / 2 + (feeder.x[i] - viewState.target[0]) * scale, r.top + r.height / 2 - (feeder.y[i] - viewState.target[1]) * scale];
      },
      busClass: (name: string): number => live.classes[feeder.buses.indexOf(name)],
    };
  }, [feeder, viewState, live]);

  const layers = useMemo(() => {
    const span = Math.max(feeder.bounds[2] - feeder.bounds[0], feeder.bounds[3] - feeder.bounds[1]);
    const mgStates = new Map((state?.microgrids ?? []).map((m) => [m.id, m.state]));
    const polygons = feeder.microgrids.map((m) => ({
      id: m.id,
      state: mgStates.get(m.id) ?? 'Unknown',
      polygon: padPolygon(hull(m.buses.map((b) => [feeder.x[b], feeder.y[b]] as [number, number])), span * 0.02),
    }));
    const eventBuses = events.map((e) => (e.bus ? feeder.buses.indexOf(e.bus) : -1)).filter((i) => i >= 0);
    return [
      new PolygonLayer({
        id: 'microgrids',
        data: polygons,
        getPolygon: (d) => d.polygon,
        getFillColor: (d) => [...MG_COLOR[d.state].slice(0, 3), 18] as Rgba,
        getLineColor: (d) => MG_COLOR[d.state],
        lineWidthUnits: 'pixels',
        getLineWidth: (d) => (d.state === 'Parallel' ? 1.5 : 3),
        stroked: true,
        filled: true,
        updateTriggers: { getFillColor: version, getLineColor: version, getLineWidth: version },
      }),
      new LineLayer({
        id: 'branches',
        data: { length: stat.branchCount, attributes: { getSourcePosition: { value: stat.sources, size: 2 }, getTargetPosition: { value: stat.targets, size: 2 }, getColor: { value: stat.branchColors, size: 4, normalized: true } } },
        getWidth: 2,
        widthUnits: 'pixels',
      }),
      new ScatterplotLayer({
        id: 'event-markers',
        data: eventBuses,
        getPosition: (i: number) => [feeder.x[i], feeder.y[i]],
        getRadius: 16,
        radiusUnits: 'pixels',
        stroked: true,
        filled: false,
        getLineColor: [255, 96, 96, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
        updateTriggers: { getPosition: version },
      }),
      new ScatterplotLayer({
        id: 'buses',
        data: {
          length: stat.n,
          attributes: {
            getPosition: { value: stat.positions, size: 2 },
            getFillColor: { value: live.fill, size: 4, normalized: true },
            getLineColor: { value: live.line, size: 4, normalized: true },
            getRadius: { value: live.radius, size: 1 },
            getLineWidth: { value: live.lineWidth, size: 1 },
          },
        },
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        stroked: true,
        filled: true,
        pickable: true,
      }),
      new TextLayer({
        id: 'symbols',
        data: [...feeder.ders.map((d) => ({ i: d.bus, text: '▲', color: [200, 205, 210, 255] as Rgba })), ...feeder.pmus.map((p) => ({ i: p.bus, text: '◆', color: [158, 203, 255, 255] as Rgba }))],
        getPosition: (d) => [feeder.x[d.i], feeder.y[d.i]],
        getText: (d) => d.text,
        getColor: (d) => d.color,
        getSize: 13,
        getPixelOffset: [10, -10],
        characterSet: ['▲', '◆'],
        fontFamily: 'Liberation Sans, Arial, sans-serif',
      }),
      new TextLayer({
        id: 'labels',
        data: [...live.labels, ...(selected !== null ? [{ index: selected, text: feeder.buses[selected] }] : []), ...polygons.map((p) => ({ index: -1, text: `${p.id} ${p.state}`, at: p.polygon[0] ?? [0, 0] }))],
        getPosition: (d: { index: number; at?: [number, number] }) => (d.index >= 0 ? [feeder.x[d.index], feeder.y[d.index]] : (d.at ?? [0, 0])),
        getText: (d: { text: string }) => d.text,
        getColor: [232, 234, 236, 255],
        getSize: 15,
        getPixelOffset: [0, 18],
        background: true,
        getBackgroundColor: [28, 31, 34, 220],
        fontFamily: 'Liberation Sans, Arial, sans-serif',
        updateTriggers: { getPosition: version, getText: version },
      }),
    ];
  }, [feeder, stat, live, state, events, version, selected]);

  return (
    <div ref={box} className="feeder-map" data-testid="feeder-map" data-version={version}>
      <DeckGL
        views={VIEW}
        initialViewState={viewState}
        controller
        layers={layers}
        onClick={(info: PickingInfo) => onSelect(info.layer?.id === 'buses' && info.index >= 0 ? info.index : null)}
        getTooltip={(info: PickingInfo) => (info.layer?.id === 'buses' && info.index >= 0 ? tooltip(feeder, state, info.index) : null)}
      />
    </div>
  );
}

function tooltip(feeder: FeederInfo, state: GridState | null, i: number): string {
  const lo = state?.vMin[i];
  const hi = state?.vMax[i];
  const src = state?.source[i] ?? 'unknown';
  const v = lo == null || hi == null ? 'no data' : `${lo.toFixed(3)}–${hi.toFixed(3)} p.u.`;
  return `Bus ${feeder.buses[i]} · ${v} · ${src}`;
}
