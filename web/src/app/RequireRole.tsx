// Pages for organizers and door staff: shown only to the roles that may use them. The
// server checks every request anyway; this only saves people a page of failing buttons.

import type { ComponentChildren } from 'preact';
import type { Role } from '../api/types';
import { withNext } from '../lib/safeNext';
import { Loading } from '../ui/Alert';
import { PageHeading } from '../ui/Heading';
import { useLocation } from './router';
import { hasRole, useSession } from './session';

export function RequireRole({
  roles,
  title,
  refusal,
  children,
}: {
  roles: Role[];
  title: string;
  refusal: string;
  children: ComponentChildren;
}) {
  const session = useSession();
  const { path, query } = useLocation();
  if (!session.known) return <Loading />;
  if (hasRole(session.user, ...roles)) return <>{children}</>;
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <p class="refusal">{refusal}</p>
      {session.user ? (
        <p class="muted">You are signed in as {session.user.email}.</p>
      ) : (
        <p>
          <a href={withNext('/login', query.toString() ? `${path}?${query.toString()}` : path)}>Go to the log-in page</a>
        </p>
      )}
    </>
  );
}
