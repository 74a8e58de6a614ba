// One server, one browser, an admin and a staff account per test file.

import { Api } from './api.js';
import { launchBrowser } from './browser.js';
import { Server } from './server.js';

export async function startFixture({ env = {} } = {}) {
  const fixture = { server: null, browser: null, api: null, admin: null, staff: null };
  fixture.close = async () => {
    if (fixture.browser) await fixture.browser.close().catch(() => {});
    if (fixture.server) {
      const failures = fixture.server.logs().filter((e) => e.level === 'error' || e.level === 'critical' ||
        (e.msg === 'request' && Number(e.status) >= 500));
      for (const entry of failures.slice(-20)) console.log(`# server: ${JSON.stringify(entry)}`);
      await fixture.server.stop();
    }
  };
  try {
    fixture.server = await new Server({ env }).start();
    fixture.api = new Api(fixture.server.url);
    fixture.admin = await fixture.api.login(fixture.server.addUser('admin', { name: 'Ada Admin' }));
    fixture.staff = await fixture.api.login(fixture.server.addUser('staff', { name: 'Sam Staff' }));
    fixture.browser = await launchBrowser();
  } catch (err) {
    await fixture.close();
    throw err;
  }
  return fixture;
}
