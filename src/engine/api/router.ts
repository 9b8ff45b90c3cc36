// A small router: method + path pattern -> handler. Patterns name their parameters: `:id` matches one
// path segment, `*name` matches the rest including slashes (image names such as "library/busybox:latest"
// or "localhost:5000/a/b" contain them). The version prefix (/v1.41) is stripped before matching.
import type { RequestContext } from './request-context.js';

export type Handler = (ctx: RequestContext) => Promise<void>;

export interface Route {
  method: string;
  pattern: string;
  handler: Handler;
  /** the route can take over the connection (attach, exec start) */
  hijack: boolean;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'not-found' };

export function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const body = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      if (segment.startsWith('*')) {
        names.push(segment.slice(1));
        return '(.+)';
      }
      return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${body}/?$`), names };
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(method: string, pattern: string, handler: Handler, options: { hijack?: boolean } = {}): this {
    this.routes.push({ method, pattern, handler, hijack: options.hijack ?? false, ...compilePattern(pattern) });
    return this;
  }

  get(pattern: string, handler: Handler): this {
    return this.add('GET', pattern, handler);
  }
  post(pattern: string, handler: Handler, options?: { hijack?: boolean }): this {
    return this.add('POST', pattern, handler, options);
  }
  put(pattern: string, handler: Handler): this {
    return this.add('PUT', pattern, handler);
  }
  delete(pattern: string, handler: Handler): this {
    return this.add('DELETE', pattern, handler);
  }
  head(pattern: string, handler: Handler): this {
    return this.add('HEAD', pattern, handler);
  }

  /** first matching route in the order added; path is already without the version prefix */
  match(method: string, path: string): RouteMatch {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1]);
      });
      return { kind: 'found', route, params };
    }
    return { kind: 'not-found' };
  }
}
