import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import {
  authErrorText,
  doConfirmNewPassword,
  doConfirmResetPassword,
  doConfirmSignUp,
  doResendCode,
  doResetPassword,
  doSignIn,
  doSignUp,
  type SignInOutcome,
} from '../auth/amplify';
import { useAuth } from '../auth/AuthContext';
import { AuthCard, Field } from '../components/Field';
import { Notice } from '../components/Notice';

const PASSWORD_HINT = 'At least 8 characters, with upper and lower case letters, a digit and a symbol.';

function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(authErrorText(e));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

function LocalCodeNote({ what }: { what: 'confirmation' | 'password reset' }) {
  const { config } = useApi();
  if (!config.local) return null;
  return (
    <Notice>
      Running locally: no e-mail is sent. The {what} code is in the log of <code>cruddur serve</code>, on the line
      with <code>"event":"userpool_confirmation_code"</code> and your e-mail.
    </Notice>
  );
}

export function SignInPage() {
  const auth = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/messages';
  const notice = (location.state as { notice?: string } | null)?.notice ?? auth.notice;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [needNewPassword, setNeedNewPassword] = useState(false);
  const { busy, error, setError, run } = useSubmit();

  if (auth.status === 'signedIn') return <Navigate to={from} replace />;

  async function after(o: SignInOutcome) {
    switch (o.step) {
      case 'done':
        await auth.refresh();
        navigate(from, { replace: true });
        return;
      case 'confirm-sign-up':
        navigate(`/confirm?email=${encodeURIComponent(email)}`, { state: { notice: 'Confirm your account first.' } });
        return;
      case 'new-password':
        setNeedNewPassword(true);
        return;
      case 'reset-password':
        navigate(`/forgot?email=${encodeURIComponent(email)}`);
        return;
      default:
        setError(`This sign-in step is not supported here (${o.name}).`);
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void run(async () => after(needNewPassword ? await doConfirmNewPassword(newPassword) : await doSignIn(email, password)));
  }

  return (
    <AuthCard title="Sign in to Cruddur">
      {notice && !error && <Notice>{notice}</Notice>}
      <form onSubmit={onSubmit} className="auth-form">
        {!needNewPassword ? (
          <>
            <Field label="E-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
            <Field
              label="Password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        ) : (
          <Field
            label="Choose a new password"
            type="password"
            autoComplete="new-password"
            required
            hint={PASSWORD_HINT}
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
          />
        )}
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="auth-links">
        {/* The address typed so far goes along: nobody wants to type it twice. */}
        <Link to={email ? `/forgot?email=${encodeURIComponent(email)}` : '/forgot'}>Forgot your password?</Link> · <Link to="/signup">Create an account</Link>
      </p>
    </AuthCard>
  );
}

export function SignUpPage() {
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', email: '', handle: '', password: '' });
  const { busy, error, run } = useSubmit();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const { confirmed } = await doSignUp({ ...form, handle: form.handle.trim().replace(/^@/, '') });
      if (confirmed) navigate('/signin', { state: { notice: 'Your account is ready: sign in.' } });
      else navigate(`/confirm?email=${encodeURIComponent(form.email)}`);
    });
  }

  return (
    <AuthCard title="Create your account">
      <form onSubmit={onSubmit} className="auth-form">
        <Field label="Name" autoComplete="name" required value={form.name} onChange={set('name')} />
        <Field label="E-mail" type="email" autoComplete="email" required value={form.email} onChange={set('email')} />
        <Field
          label="Handle"
          autoComplete="nickname"
          required
          pattern="@?[A-Za-z0-9_]+"
          hint="Letters, digits and _; others find you by it, e.g. @londo."
          value={form.handle}
          onChange={set('handle')}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint={PASSWORD_HINT}
          value={form.password}
          onChange={set('password')}
        />
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Sign up'}
        </button>
      </form>
      <p className="auth-links">
        Have an account? <Link to="/signin">Sign in</Link>
      </p>
    </AuthCard>
  );
}

export function ConfirmPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const { busy, error, run } = useSubmit();
  const notice = (location.state as { notice?: string } | null)?.notice;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await doConfirmSignUp(email, code.trim());
      navigate('/signin', { state: { notice: 'Your account is confirmed: sign in.' } });
    });
  }

  return (
    <AuthCard title="Confirm your e-mail">
      {notice && <Notice>{notice}</Notice>}
      <p>We sent a confirmation code to your e-mail address.</p>
      <LocalCodeNote what="confirmation" />
      <form onSubmit={onSubmit} className="auth-form">
        <Field label="E-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field
          label="Confirmation code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        {error && <Notice kind="error">{error}</Notice>}
        {resent && !error && <Notice kind="success">A new code is on its way.</Notice>}
        <button type="submit" className="primary" disabled={busy}>
          Confirm
        </button>
        <button
          type="button"
          className="link-button"
          disabled={busy || !email}
          onClick={() =>
            void run(async () => {
              setResent(false);
              await doResendCode(email);
              setResent(true);
            })
          }
        >
          Send a new code
        </button>
      </form>
      <p className="auth-links">
        <Link to="/signin">Back to sign in</Link>
      </p>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [step, setStep] = useState<'request' | 'confirm'>('request');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();

  function onRequest(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await doResetPassword(email);
      setStep('confirm');
    });
  }
  function onConfirm(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await doConfirmResetPassword(email, code.trim(), password);
      navigate('/signin', { state: { notice: 'Your password is changed: sign in with the new one.' } });
    });
  }

  return (
    <AuthCard title={step === 'request' ? 'Forgot your password?' : 'Choose a new password'}>
      {step === 'request' ? (
        <form onSubmit={onRequest} className="auth-form">
          <p>Enter your e-mail and we'll send you a code to reset your password.</p>
          <Field label="E-mail" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          {error && <Notice kind="error">{error}</Notice>}
          <button type="submit" className="primary" disabled={busy}>
            Send the code
          </button>
        </form>
      ) : (
        <form onSubmit={onConfirm} className="auth-form">
          <p>We sent a code to {email}.</p>
          <LocalCodeNote what="password reset" />
          <Field
            label="Code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            hint={PASSWORD_HINT}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {error && <Notice kind="error">{error}</Notice>}
          <button type="submit" className="primary" disabled={busy}>
            Change password
          </button>
        </form>
      )}
      <p className="auth-links">
        <Link to="/signin">Back to sign in</Link>
      </p>
    </AuthCard>
  );
}
