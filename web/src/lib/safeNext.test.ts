import { describe, expect, it } from 'vitest';
import { safeNextPath, withNext } from './safeNext';

const ORIGIN = 'https://tickets.example';
const next = (value: string | null) => safeNextPath(value, '/', ORIGIN);

describe('safeNextPath', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(next('/events/42')).toBe('/events/42');
    expect(next('/admin/orders?email=a%40b.example#top')).toBe('/admin/orders?email=a%40b.example#top');
  });

  it('falls back for nothing at all', () => {
    expect(next(null)).toBe('/');
    expect(next('')).toBe('/');
    expect(safeNextPath(undefined, '/tickets', ORIGIN)).toBe('/tickets');
  });

  it.each([
    'https://evil.example/',
    'javascript:alert(1)',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/.//evil.example',
    '/%2e//evil.example',
    'events/42',
    ' /events/42',
  ])('refuses %j', (value) => {
    const result = next(value);
    expect(result.startsWith('/')).toBe(true);
    expect(result.startsWith('//')).toBe(false);
    expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
  });

  it('never returns a path another host could be read from', () => {
    expect(next('/.//evil.example')).toBe('/');
    expect(next('/\t/evil.example')).toBe('/');
  });
});

describe('withNext', () => {
  it('encodes the whole target so its own query stays in one parameter', () => {
    const link = withNext('/login', '/admin/orders?email=a@b.example&x=1');
    expect(new URL(link, ORIGIN).searchParams.get('next')).toBe('/admin/orders?email=a@b.example&x=1');
    expect(new URL(link, ORIGIN).searchParams.get('x')).toBeNull();
  });

  it('leaves the link bare for the home page', () => {
    expect(withNext('/signup', '/')).toBe('/signup');
  });
});
