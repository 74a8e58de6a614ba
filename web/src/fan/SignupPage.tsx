// Create a customer account; signed in straight away.

import { useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/errors';
import { navigate, useLocation } from '../app/router';
import { signUpWith } from '../app/session';
import { safeNextPath, withNext } from '../lib/safeNext';
import { Alert } from '../ui/Alert';
import { BusyRetry, useBusyRetry } from '../ui/BusyRetry';
import { Field } from '../ui/Field';
import { PageHeading } from '../ui/Heading';

const PASSWORD_LENGTH_MIN = 10;

export function SignupPage() {
  const { query } = useLocation();
  const next = safeNextPath(query.get('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ text: string; field?: string | undefined } | null>(null);
  const [working, setWorking] = useState(false);
  const busy = useBusyRetry();

  async function submit(): Promise<void> {
    if (password.length < PASSWORD_LENGTH_MIN) {
      setError({ text: `Choose a password of at least ${PASSWORD_LENGTH_MIN} characters.`, field: 'password' });
      return;
    }
    setWorking(true);
    setError(null);
    busy.clear();
    try {
      await signUpWith(name.trim(), email.trim(), password);
      navigate(next, { replace: true });
    } catch (failure) {
      if (busy.offerRetry(failure, () => void submit())) return;
      if (failure instanceof ApiError && failure.code === 'email_taken') {
        setError({ text: 'There is already an account with this email. Log in instead.', field: 'email' });
      } else if (failure instanceof ApiError && failure.field) {
        setError({ text: failure.message, field: failure.field });
      } else {
        setError({ text: describeError(failure) });
      }
    } finally {
      setWorking(false);
    }
  }

  const fieldError = (field: string) => (error?.field === field ? error.text : undefined);
  return (
    <div class="narrow">
      <PageHeading>Sign up</PageHeading>
      <form
        class="stack-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field label="Name" autoComplete="name" required value={name} error={fieldError('name')} onInput={(e) => setName(e.currentTarget.value)} />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          error={fieldError('email')}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_LENGTH_MIN}
          hint={`At least ${PASSWORD_LENGTH_MIN} characters.`}
          value={password}
          error={fieldError('password')}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error ? <Alert>{error.text}</Alert> : null}
        <BusyRetry state={busy} disabled={working} />
        <button type="submit" class="button button--primary" disabled={working}>
          Sign up
        </button>
      </form>
      <p>
        Already have an account? <a href={withNext('/login', next)}>Use it here</a>
      </p>
    </div>
  );
}
