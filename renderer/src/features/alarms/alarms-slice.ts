// Alarms in Redux: low-rate, operator-facing state (STYLE.md §7). The core pushes the full list on subscribe and
// then only the alarms that changed; an alarm back in NORMAL and not shelved leaves the list.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { AlarmViewDto } from '../../../../shared/contract/areas/grid';

export interface AlarmsState {
  list: AlarmViewDto[];
  audible: boolean;
  flood: boolean;
  connected: boolean;
}

const initialState: AlarmsState = { list: [], audible: false, flood: false, connected: false };
const ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;

export const alarmsSlice = createSlice({
  name: 'alarms',
  initialState,
  reducers: {
    alarmsPushed(s, a: PayloadAction<{ alarms: AlarmViewDto[]; audible: boolean; flood: boolean; full?: boolean }>) {
      const byId = new Map(a.payload.full ? [] : s.list.map((x) => [x.id, x]));
      for (const x of a.payload.alarms) {
        if (x.state === 'NORMAL' && !x.shelved) byId.delete(x.id);
        else byId.set(x.id, x);
      }
      s.list = [...byId.values()].sort((x, y) => ORDER[x.priority] - ORDER[y.priority] || y.lastChange - x.lastChange);
      s.audible = a.payload.audible;
      s.flood = a.payload.flood;
      s.connected = true;
    },
    alarmUpdated(s, a: PayloadAction<AlarmViewDto>) {
      const i = s.list.findIndex((x) => x.id === a.payload.id);
      if (a.payload.state === 'NORMAL' && !a.payload.shelved) {
        if (i >= 0) s.list.splice(i, 1);
      } else if (i >= 0) s.list[i] = a.payload;
      else s.list.unshift(a.payload);
    },
    silenced(s, a: PayloadAction<boolean>) {
      s.audible = a.payload;
    },
  },
});

export const { alarmsPushed, alarmUpdated, silenced } = alarmsSlice.actions;

/** Alarms the operator must see: not shelved, not suppressed by design. */
export const visibleAlarms = (s: AlarmsState): AlarmViewDto[] => s.list.filter((a) => !a.shelved && !a.suppressed);
