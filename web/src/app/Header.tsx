// The site header and main navigation; what it offers follows the signed-in role.

import { useState } from 'preact/hooks';
import { navigate, useLocation } from './router';
import { hasRole, signOut, useSession } from './session';

function NavLink({ href, children }: { href: string; children: string }) {
  const { path } = useLocation();
  const current = href === '/' ? path === '/' || path.startsWith('/events/') : path === href || path.startsWith(`${href}/`);
  return (
    <li>
      <a href={href} class="nav__link" aria-current={current ? 'page' : undefined}>
        {children}
      </a>
    </li>
  );
}

export function Header() {
  const session = useSession();
  const user = session.user;
  const [leaving, setLeaving] = useState(false);
  return (
    <header class="site-header">
      <div class="site-header__inner">
        <a href="/" class="brand">
          <span class="brand__mark" aria-hidden="true" />
          Boxoffice
        </a>
        <nav aria-label="Main" class="nav">
          <ul class="nav__list">
            <NavLink href="/">Events</NavLink>
            <NavLink href="/tickets">My tickets</NavLink>
            {hasRole(user, 'admin') ? <NavLink href="/admin">Admin</NavLink> : null}
            {hasRole(user, 'staff', 'admin') ? <NavLink href="/checkin">Check-in</NavLink> : null}
            {session.known && !user ? (
              <>
                <NavLink href="/login">Log in</NavLink>
                <NavLink href="/signup">Sign up</NavLink>
              </>
            ) : null}
            {user ? (
              <li class="nav__user">
                <span class="nav__name">{user.name}</span>
                <button
                  type="button"
                  class="button button--small button--quiet"
                  disabled={leaving}
                  onClick={async () => {
                    setLeaving(true);
                    try {
                      await signOut();
                      navigate('/');
                    } finally {
                      setLeaving(false);
                    }
                  }}
                >
                  Log out
                </button>
              </li>
            ) : null}
          </ul>
        </nav>
      </div>
    </header>
  );
}
