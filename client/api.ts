/**
 * The pages' one way to the server's JSON API (server/contract/access.ts): same-origin fetch
 * with the session cookie, JSON in and out.
 *
 * Contract:
 * - Every request other than GET carries `X-CSRF-Token` from the latest Me handed to
 *   `signedIn()`; one with a body sends it as JSON with `content-type: application/json`
 *   (`post` and `put` send `{}` when given nothing), one without (DELETE) sends no content-type;
 *   `postFile` sends a file's bytes as they are, with the content type given.
 * - A 2xx answer resolves with its JSON (undefined for 204). Anything else rejects with an
 *   ApiError carrying the status and the server's `code`, `message` and `details`; an answer
 *   that is not the server's error JSON gets code `HTTP_<status>`, and a request that never got
 *   an answer (network down, server gone) code NETWORK with status 0.
 * - fetch is injected, so the tests run without a network; `api` is the pages' shared one.
 */
import type { Me } from '../server/contract/access.ts';

export type { Me };

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ErrorDetail {
  path: string;
  message: string;
}

export const NETWORK = 'NETWORK';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True when `error` is an ApiError with this code (and this status, when given). */
export function isApiError(error: unknown, code: string, status?: number): error is ApiError {
  return error instanceof ApiError && error.code === code && (status === undefined || error.status === status);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class Api {
  private csrfToken: string | null = null;

  constructor(private readonly http: Fetch = (input, init) => globalThis.fetch(input, init)) {}

  /** Keeps the CSRF token of a Me just received, and gives the Me back. */
  signedIn(me: Me): Me {
    this.csrfToken = me.csrfToken;
    return me;
  }

  signedOut(): void {
    this.csrfToken = null;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, json(body));
  }

  /** POSTs a file as it is (a CSV import), with its own content type. */
  postFile<T>(path: string, file: Blob, contentType: string): Promise<T> {
    return this.request<T>('POST', path, { data: file, contentType });
  }

  put<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('PUT', path, json(body));
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, json(body));
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  private async request<T>(method: Method, path: string, body?: Body): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET' && this.csrfToken !== null) headers['x-csrf-token'] = this.csrfToken;
    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      headers['content-type'] = body.contentType;
      init.body = body.data;
    }
    let response: Response;
    let text: string;
    try {
      response = await this.http(path, init);
      text = await response.text();
    } catch (error) {
      throw new ApiError(0, NETWORK, error instanceof Error ? error.message : String(error));
    }
    const parsed = parseJson(text);
    if (!response.ok) throw errorOf(response.status, parsed);
    if (response.status === 204 || text === '') return undefined as T;
    return parsed as T;
  }
}

interface Body {
  data: BodyInit;
  contentType: string;
}

function json(body: unknown): Body {
  return { data: JSON.stringify(body), contentType: 'application/json' };
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorOf(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string') {
    const { code, message, details } = body as { code: string; message?: unknown; details?: unknown };
    return new ApiError(status, code, typeof message === 'string' ? message : code, Array.isArray(details) ? (details as ErrorDetail[]) : []);
  }
  return new ApiError(status, `HTTP_${status}`, `HTTP ${status}`);
}

export const api = new Api();
