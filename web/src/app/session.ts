// Who is signed in. The session itself is the HttpOnly cookie the browser keeps; this store
// holds only what the pages show (the user) and the CSRF token in the API client's memory.

import { useEffect, useState } from 'preact/hooks';
import { onSessionRefreshed, setCsrfToken } from '../api/client';
import { ApiError } from '../api/errors';
import { logIn, logOut, readSession, signUp } from '../api/endpoints';
import type { Role, SessionAnswer, User } from '../api/types';

export interface SessionState {
  /** false until GET /me has answered once, so pages do not flash "log in" to signed-in users. */
  known: boolean;
  user: User | null;
}

let state: SessionState = { known: false, user: null };
const listeners = new Set<(next: SessionState) => void>();

function publish(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener(state);
}

function adopt(answer: SessionAnswer | null): void {
  setCsrfToken(answer?.csrf_token ?? null, answer?.user.id ?? null);
  publish({ known: true, user: answer?.user ?? null });
}

onSessionRefreshed(adopt);

export async function loadSession(): Promise<void> {
  try {
    adopt(await readSession());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) adopt(null);
    else publish({ known: true, user: null });
  }
}

export async function signInWith(email: string, password: string): Promise<User> {
  const answer = await logIn({ email, password });
  adopt(answer);
  return answer.user;
}

export async function signUpWith(name: string, email: string, password: string): Promise<User> {
  const answer = await signUp({ name, email, password });
  adopt(answer);
  return answer.user;
}

export async function signOut(): Promise<void> {
  try {
    await logOut();
  } finally {
    // Forget the session locally even if the server could not be told: the cookie is
    // revoked server-side on the next successful log-out or by its idle expiry.
    adopt(null);
  }
}

/** Marks the session as gone after a 401, so the header and guards update at once. */
export function sessionExpired(): void {
  if (state.user) adopt(null);
}

export function useSession(): SessionState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(state);
    return () => {
      listeners.delete(setCurrent);
    };
  }, []);
  return current;
}

export function hasRole(user: User | null, ...roles: Role[]): boolean {
  return !!user && roles.includes(user.role);
}
