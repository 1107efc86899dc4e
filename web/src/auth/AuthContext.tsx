import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { currentUser, signOut as sessionSignOut, type CurrentUser } from './session';

type Status = 'loading' | 'signedIn' | 'signedOut';

interface AuthValue {
  status: Status;
  user: CurrentUser | null;
  /** Why the user was signed out, shown on the sign-in page. */
  notice: string | null;
  /** Re-reads the session (after sign-in). */
  refresh: () => Promise<CurrentUser | null>;
  signOut: () => Promise<void>;
  /** The API refused our token even after a refresh. */
  expire: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({
  children,
  loadUser = currentUser,
  signOutImpl = sessionSignOut,
  initialUser = null,
}: {
  children: ReactNode;
  loadUser?: () => Promise<CurrentUser | null>;
  signOutImpl?: () => Promise<void>;
  /**
   * The user already known at start (a stored session usable as it is,
   * session.ts peekUser): signed in from the first render, without the
   * "Loading…" step. null: ask loadUser.
   */
  initialUser?: CurrentUser | null;
}) {
  const [status, setStatus] = useState<Status>(initialUser ? 'signedIn' : 'loading');
  const [user, setUser] = useState<CurrentUser | null>(initialUser);
  const [notice, setNotice] = useState<string | null>(null);
  const known = useRef(initialUser !== null);

  const refresh = useCallback(async () => {
    const u = await loadUser();
    setUser(u);
    setStatus(u ? 'signedIn' : 'signedOut');
    if (u) setNotice(null);
    return u;
  }, [loadUser]);

  useEffect(() => {
    if (known.current) return;
    void refresh();
  }, [refresh]);

  const signOut = useCallback(async () => {
    try {
      await signOutImpl();
    } finally {
      setUser(null);
      setStatus('signedOut');
      setNotice('You are signed out.');
    }
  }, [signOutImpl]);

  const expire = useCallback(() => {
    setUser(null);
    setStatus('signedOut');
    setNotice('Your session has ended; sign in again.');
  }, []);

  const value = useMemo(
    () => ({ status, user, notice, refresh, signOut, expire }),
    [status, user, notice, refresh, signOut, expire],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
