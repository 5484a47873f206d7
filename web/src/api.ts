// Every call to the service goes through here: same origin, the API key (when one is needed) as
// x-api-key, and a refused key turned into one event the page answers by asking again.

const KEY_STORAGE = 'store-monitor.api-key';

/** An answer other than 2xx, with the service's own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Whether the service wants a key (it says so on the page it serves). */
export const keyRequired = (): boolean => document.documentElement.dataset.apiKey === 'required';

export const storedKey = (): string | null => sessionStorage.getItem(KEY_STORAGE);
export const storeKey = (key: string): void => sessionStorage.setItem(KEY_STORAGE, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY_STORAGE);

let onKeyRefused: (message: string) => void = () => undefined;
/** What to do when the service refuses the key (401): the page asks for it again. */
export function whenKeyRefused(handler: (message: string) => void): void {
  onKeyRefused = handler;
}

async function errorOf(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
    else if (Array.isArray(body.message)) message = body.message.join('; ');
  } catch {
    // not JSON: the status line says enough
  }
  return new ApiError(response.status, message);
}

/** Calls the API with the key; a 401 forgets the key and asks for it again; any other non-2xx is an ApiError. */
export async function call(path: string, init: RequestInit = {}, key = storedKey()): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set('x-api-key', key);
  const response = await fetch(path, { ...init, headers, cache: 'no-store' });
  if (response.ok) return response;
  const error = await errorOf(response);
  if (response.status === 401) {
    forgetKey();
    onKeyRefused('The service refused this API key (401). Check it and enter it again.');
  }
  throw error;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await call(path)).json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as T;
}

/** A query string of the given parameters, empty ones left out. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
