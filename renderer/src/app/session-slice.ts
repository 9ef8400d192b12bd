// Who is logged in, the link to the core and the last system status: the cold state the shell renders from.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { LinkState } from '../../../shared/contract/api';
import type { SystemStatus, UserInfo } from '../../../shared/contract';

export const PANES = ['map', 'trends', 'events', 'offers', 'microgrids', 'audit', 'connections'] as const;
export type Pane = (typeof PANES)[number];

export interface SessionState {
  link: LinkState;
  token: 'exchanged' | 'none' | 'refused' | 'electron' | 'pending';
  user: UserInfo | null;
  loginError: string | null;
  status: SystemStatus | null;
  pane: Pane;
}

const initialState: SessionState = { link: 'connecting', token: 'pending', user: null, loginError: null, status: null, pane: 'map' };

export const sessionSlice = createSlice({
  name: 'session',
  initialState,
  reducers: {
    linkChanged(s, a: PayloadAction<LinkState>) {
      s.link = a.payload;
      // a new link is a new core session: the user logs in again
      if (a.payload !== 'up') s.user = null;
    },
    tokenResult(s, a: PayloadAction<SessionState['token']>) {
      s.token = a.payload;
    },
    loggedIn(s, a: PayloadAction<UserInfo>) {
      s.user = a.payload;
      s.loginError = null;
    },
    loginFailed(s, a: PayloadAction<string>) {
      s.user = null;
      s.loginError = a.payload;
    },
    loggedOut(s) {
      s.user = null;
      s.status = null;
    },
    statusReceived(s, a: PayloadAction<SystemStatus>) {
      s.status = a.payload;
    },
    paneSelected(s, a: PayloadAction<Pane>) {
      s.pane = a.payload;
    },
  },
});

export const { linkChanged, tokenResult, loggedIn, loginFailed, loggedOut, statusReceived, paneSelected } = sessionSlice.actions;
