// The top of the UI: the login screen until the session has a named user, then the console shell.
import { LoginScreen } from '../features/login/login-screen';
import { Shell } from './shell';
import { useAppSelector } from './store';

export function App() {
  const user = useAppSelector((s) => s.session.user);
  return user ? <Shell /> : <LoginScreen />;
}
