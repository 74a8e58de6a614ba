// The shell: header, the busy notice, and the page for the current path.

import { useEffect, useRef } from 'preact/hooks';
import { AdminHome } from '../admin/AdminHome';
import { EventAdmin } from '../admin/EventAdmin';
import { EventCreate } from '../admin/EventCreate';
import { OrderLookup } from '../admin/OrderLookup';
import { VenueBuilder } from '../admin/VenueBuilder';
import { CheckInPage } from '../checkin/CheckInPage';
import { EventList } from '../fan/EventList';
import { EventPage } from '../fan/EventPage';
import { LoginPage } from '../fan/LoginPage';
import { MyTickets } from '../fan/MyTickets';
import { OrderPage } from '../fan/OrderPage';
import { SignupPage } from '../fan/SignupPage';
import { BusyNotice } from '../ui/BusyNotice';
import { PageHeading } from '../ui/Heading';
import { Header } from './Header';
import { RequireRole } from './RequireRole';
import { matchPath, useLocation } from './router';

const ADMIN_REFUSAL = 'You need an admin account to use this page.';

function Page({ path }: { path: string }) {
  let params: Record<string, string> | null;
  if (path === '/') return <EventList />;
  if ((params = matchPath('/events/:id', path))) return <EventPage eventId={params.id!} />;
  if ((params = matchPath('/orders/:id', path))) return <OrderPage orderId={params.id!} />;
  if (path === '/tickets') return <MyTickets />;
  if (path === '/login') return <LoginPage />;
  if (path === '/signup') return <SignupPage />;
  if (path === '/checkin') {
    return (
      <RequireRole roles={['staff', 'admin']} title="Check-in" refusal="You need a staff or admin account to check tickets in.">
        <CheckInPage />
      </RequireRole>
    );
  }
  const admin = (page: preact.ComponentChildren) => (
    <RequireRole roles={['admin']} title="Admin" refusal={ADMIN_REFUSAL}>
      {page}
    </RequireRole>
  );
  if (path === '/admin') return admin(<AdminHome />);
  if (path === '/admin/venues/new') return admin(<VenueBuilder />);
  if (path === '/admin/events/new') return admin(<EventCreate />);
  if (path === '/admin/orders') return admin(<OrderLookup />);
  if ((params = matchPath('/admin/events/:id', path))) return admin(<EventAdmin eventId={params.id!} />);
  return (
    <>
      <PageHeading>Page not found</PageHeading>
      <p>
        There is nothing at this address. <a href="/">See all events</a>.
      </p>
    </>
  );
}

export function App() {
  const { path } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(path);

  useEffect(() => {
    // After an in-app navigation, move focus to the new page's heading so keyboard and
    // screen reader users start there, unless the page already focused a control itself.
    if (path === firstPath.current) return;
    firstPath.current = '';
    const frame = requestAnimationFrame(() => {
      const main = mainRef.current;
      if (!main || main.contains(document.activeElement)) return;
      main.querySelector<HTMLElement>('h1')?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [path]);

  return (
    <>
      <a href="#main" class="skip-link">
        Skip to content
      </a>
      <Header />
      <BusyNotice />
      <main id="main" ref={mainRef} class="page" tabIndex={-1}>
        <Page path={path} />
      </main>
      <footer class="site-footer">
        <p>Boxoffice · test payments only, no real money moves.</p>
      </footer>
    </>
  );
}
