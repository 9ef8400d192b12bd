// The login screen: every session is a named user acting in one of its roles. Also says plainly why the core is
// not reachable (no access token in the link, token refused, link down) instead of a spinner.
import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '../../../../shared/contract';
import { bridge } from '../../bridge';
import { loggedIn, loginFailed } from '../../app/session-slice';
import { useAppDispatch, useAppSelector } from '../../app/store';

function linkMessage(link: string, token: string): string | null {
  if (link === 'up') return null;
  if (token === 'refused') return 'The access token in this link was refused. Open the link printed by “exergy serve” again.';
  if (token === 'none' && link === 'down') return 'Not connected. Open the link printed by “exergy serve” (it carries the access token).';
  return link === 'down' ? 'Link to the core lost; reconnecting…' : 'Connecting to the core…';
}

export function LoginScreen() {
  const dispatch = useAppDispatch();
  const { link, token, loginError } = useAppSelector((s) => s.session);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'' | Role>('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    const r = await bridge().call('auth.login', { user, password, ...(role ? { role } : {}) });
    setBusy(false);
    setPassword('');
    if (r.ok) dispatch(loggedIn(r.value));
    else dispatch(loginFailed(r.error.message));
  };

  const notice = linkMessage(link, token);
  return (
    <main className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">Exergy Console</h1>
        <p className="muted">Sign in as a named user. Every command is recorded in the operator journal.</p>
        <label>
          User
          <input name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <label>
          Role
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">the user’s first role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || link !== 'up'}>
          Log in
        </button>
        {loginError ? (
          <p className="cue alarm" role="alert">
            <span aria-hidden="true">✖ </span>
            {loginError}
          </p>
        ) : null}
        {notice ? (
          <p className={`cue ${link === 'down' ? 'alarm' : 'warn'}`} data-testid="link-notice">
            <span aria-hidden="true">{link === 'down' ? '✖ ' : '◌ '}</span>
            {notice}
          </p>
        ) : null}
      </form>
    </main>
  );
}
