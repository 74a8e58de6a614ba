// The real `boxoffice serve` in a fresh temporary folder on a free loopback port, serving
// the built storefront (web/dist), plus `boxoffice users add` for staff and admin accounts.
//
// The binary comes from BOXOFFICE_BIN (default build/debug/src/app/boxoffice in the
// repository). BOXOFFICE_TEST_BACKEND=production (with BOXOFFICE_TEST_SERVICES=DIR from
// `scripts/test-services start DIR`) points the server at MariaDB + Redis, through the
// integration tests' own backend_env (harness/backend_env.py). BOXOFFICE_TEST_KEEP_TMP=1
// keeps the temporary folders.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..', '..');
export const WEB_ROOT = process.env.BOXOFFICE_E2E_WEB_ROOT || path.join(REPO_ROOT, 'web', 'dist');
export const DEFAULT_PASSWORD = 'correct horse battery staple';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;

export function binaryPath() {
  return process.env.BOXOFFICE_BIN || path.join(REPO_ROOT, 'build', 'debug', 'src', 'app', 'boxoffice');
}

export function backendName() {
  return process.env.BOXOFFICE_TEST_BACKEND || 'embedded';
}

function requireBinary() {
  const bin = binaryPath();
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    throw new Error(`boxoffice binary not found at ${bin}: build it or set BOXOFFICE_BIN`);
  }
  return bin;
}

// The test process's environment without any inherited BOXOFFICE_* setting, plus `overrides`.
function cleanEnv(overrides = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('BOXOFFICE_')) env[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null || value === undefined) delete env[key];
    else env[key] = String(value);
  }
  return env;
}

// Settings that point a server in `folder` at the chosen test backend ({} when embedded).
function backendEnv(folder) {
  if (backendName() === 'embedded') return {};
  const result = spawnSync('python3', [path.join(HERE, 'backend_env.py'), folder], {
    env: { ...process.env, BOXOFFICE_BIN: requireBinary(), PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`backend_env.py failed (exit ${result.status}): ${result.stderr || result.error}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

let uniqueCounter = 0;
export function unique(prefix = 'x') {
  uniqueCounter += 1;
  return `${prefix}-${process.pid.toString(36)}${Date.now().toString(36)}${uniqueCounter}`;
}

export function uniqueEmail(prefix = 'fan') {
  return `${unique(prefix)}@example.com`;
}

// Servers still running when this process exits (a crash, a timeout) are killed with it.
const live = new Set();
process.on('exit', () => {
  for (const proc of live) {
    try {
      proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

export class Server {
  constructor({ env = {} } = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-e2e-'));
    this.envOverrides = {
      BOXOFFICE_LISTEN: '127.0.0.1:0',
      BOXOFFICE_WEB_ROOT: WEB_ROOT,
      BOXOFFICE_PASSWORD_HASH_COST: 'min',
      ...env,
    };
    this.backend = null;
    this.proc = null;
    this.port = null;
    this.lines = [];
    this.stderrPath = path.join(this.dir, 'stderr.log');
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  env(extra = {}) {
    return cleanEnv({ ...this.backend, ...this.envOverrides, ...extra });
  }

  logs() {
    const out = [];
    for (const line of this.lines) {
      try {
        const entry = JSON.parse(line);
        if (entry && typeof entry === 'object') out.push(entry);
      } catch {
        // not a JSON line
      }
    }
    return out;
  }

  stderr() {
    try {
      return fs.readFileSync(this.stderrPath, 'utf8');
    } catch {
      return '';
    }
  }

  async start(timeoutMs = START_TIMEOUT_MS) {
    if (!fs.existsSync(path.join(WEB_ROOT, 'index.html'))) {
      throw new Error(`${WEB_ROOT}/index.html is missing: build the front end (cd web && npm ci && npm run build)`);
    }
    const bin = requireBinary();
    this.backend = backendEnv(this.dir);
    const stderrFd = fs.openSync(this.stderrPath, 'a');
    this.proc = spawn(bin, ['serve'], {
      cwd: this.dir,
      env: this.env(),
      stdio: ['ignore', 'pipe', stderrFd],
    });
    fs.closeSync(stderrFd);
    const proc = this.proc;
    live.add(proc);
    this.exited = new Promise((resolve) => proc.once('exit', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    }));
    const lines = readline.createInterface({ input: this.proc.stdout });
    let onListening;
    const listening = new Promise((resolve) => {
      onListening = resolve;
    });
    lines.on('line', (line) => {
      this.lines.push(line);
      if (this.lines.length > 5000) this.lines.splice(0, 1000);
      if (this.port === null && line.includes('listening')) {
        try {
          const entry = JSON.parse(line);
          if (entry.msg === 'listening' && entry.address) {
            this.port = Number(String(entry.address).split(':').pop());
            onListening();
          }
        } catch {
          // not JSON
        }
      }
    });
    let timer;
    const outcome = await Promise.race([
      listening.then(() => 'listening'),
      this.exited.then(() => 'exited'),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome !== 'listening') {
      if (outcome === 'timeout') this.proc.kill('SIGKILL');
      throw new Error(`boxoffice serve did not report "listening" (${outcome})\nstdout:\n` +
        `${this.lines.slice(-20).join('\n')}\nstderr:\n${this.stderr().slice(-4000)}`);
    }
    return this;
  }

  // SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; removes the folder. Returns the exit code.
  async stop() {
    if (!this.proc) return null;
    let result = null;
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      let timer;
      const done = await Promise.race([
        this.exited,
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (done === null) {
        this.proc.kill('SIGKILL');
        await this.exited;
      }
      result = done;
    }
    if (!['', '0', undefined].includes(process.env.BOXOFFICE_TEST_KEEP_TMP)) {
      console.log(`# kept ${this.dir}`);
    } else {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
    return result;
  }

  // `boxoffice users add` in the server's folder and environment; returns {email, password, name, role}.
  addUser(role, { email = uniqueEmail(role), name = null, password = DEFAULT_PASSWORD } = {}) {
    const userName = name || `${role[0].toUpperCase()}${role.slice(1)} ${unique('u').slice(-6)}`;
    const result = spawnSync(requireBinary(),
      ['users', 'add', '--email', email, '--name', userName, '--role', role], {
        cwd: this.dir,
        env: this.env({ BOXOFFICE_PASSWORD: password, BOXOFFICE_LISTEN: null }),
        encoding: 'utf8',
        timeout: 60_000,
      });
    if (result.status !== 0) {
      throw new Error(`boxoffice users add --role ${role} failed (exit ${result.status})\n` +
        `${result.stdout}\n${result.stderr}`);
    }
    return { email, password, name: userName, role };
  }
}
