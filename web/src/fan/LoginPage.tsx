// Log in, then go back where the person came from (`?next=`, same site only).

import { useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/errors';
import { navigate, useLocation } from '../app/router';
import { signInWith } from '../app/session';
import { safeNextPath, withNext } from '../lib/safeNext';
import { Alert } from '../ui/Alert';
import { BusyRetry, useBusyRetry } from '../ui/BusyRetry';
import { Field } from '../ui/Field';
import { PageHeading } from '../ui/Heading';

export function LoginPage() {
  const { query } = useLocation();
  const next = safeNextPath(query.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const busy = useBusyRetry();

  async function submit(): Promise<void> {
    setWorking(true);
    setError(null);
    busy.clear();
    try {
      await signInWith(email.trim(), password);
      navigate(next, { replace: true });
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'invalid_credentials') {
        setError('That email and password do not match an account.');
      } else if (failure instanceof ApiError && failure.status === 429) {
        setError(`Too many attempts. Try again in ${failure.retryAfterSeconds ?? 30} s.`);
      } else if (!busy.offerRetry(failure, () => void submit())) {
        setError(describeError(failure));
      }
    } finally {
      setWorking(false);
    }
  }

  return (
    <div class="narrow">
      <PageHeading>Log in</PageHeading>
      <form
        class="stack-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field label="Email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error ? <Alert>{error}</Alert> : null}
        <BusyRetry state={busy} disabled={working} />
        <button type="submit" class="button button--primary" disabled={working}>
          Log in
        </button>
      </form>
      <p>
        New here? <a href={withNext('/signup', next)}>Create an account</a>
      </p>
    </div>
  );
}
