/** Hash routes (`#/recordings/abc`), so the static host needs no rewrite rules and API paths never clash. */
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

const current = (): Location => {
  const hash = window.location.hash.startsWith('#/') ? window.location.hash.slice(1) : '/';
  const [path = '/', query = ''] = hash.split('?');
  return { path, query: new URLSearchParams(query) };
};

export const useLocation = (): Location => {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    // In-page anchors (the skip link's #main-content) are not routes: the screen stays.
    const update = () => {
      if (window.location.hash.startsWith('#/') || window.location.hash === '') setLocation(current());
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return location;
};

export const go = (hash: string) => {
  window.location.hash = hash.replace(/^#/, '');
};

export const match = (pattern: string, path: string): Record<string, string> | undefined => {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(s[i] as string);
    else if (part !== s[i]) return undefined;
  }
  return params;
};
