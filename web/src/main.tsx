// Entry point: styles, the session, link routing, then the app.

import { render } from 'preact';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/booking.css';
import './styles/admin.css';
import './styles/checkin.css';
import { App } from './app/App';
import { interceptLinks } from './app/router';
import { loadSession } from './app/session';

const root = document.getElementById('app');
if (root) {
  interceptLinks(document.body);
  void loadSession();
  render(<App />, root);
}
