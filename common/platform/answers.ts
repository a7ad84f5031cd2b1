/**
 * Reading what Adobe's services answer, for the Platform client: reason phrases, error bodies,
 * Retry-After, the code of a connection that failed, and the audience ids a flow selects.
 * Kept apart from platformClient.ts so that file holds the request flow and its messages.
 */

/** Reason phrases by status: HTTP/2 answers carry none, and messages should read the same. */
export const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

import { isRecord } from '../jsonValue';

export { isRecord };

export function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.trim() !== '');
}

export function oneLine(text: string): string {
  return text.replace(/[\s\x00-\x1f\x7f]+/g, ' ').trim();
}

/** The secret as given and as a URL or a form body encodes it: a server may echo any of them. */
export function secretForms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ];
}

/** Every occurrence of every (non-empty) value becomes `***`. */
export function masked(text: string, values: readonly string[]): string {
  let result = text;
  for (const value of values) if (value !== '') result = result.split(value).join('***');
  return result;
}

export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function secondsText(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * The error code and text an Adobe error body carries. Gateways answer
 * `{"error_code","message"}`, services `{"type","title","detail"}` (RFC 7807-like) or
 * `{"code","message","report":{…}}`, and IMS `{"error","error_description"}`.
 */
export function serverSaid(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // A gateway's HTML error page says nothing a one-line message could use.
    const plain = text.trim();
    return plain !== '' && !plain.startsWith('<') ? plain : undefined;
  }
  if (!isRecord(body)) return undefined;
  const report = isRecord(body.report) ? body.report : {};
  const code = firstString(body.error_code, body.code, body.error);
  const said = firstString(
    body.error_description,
    body.detail,
    body.message,
    report.detailedMessage,
    report.message,
    body.title,
    body.errorMessage,
  );
  return code !== undefined && said !== undefined ? `${code}: ${said}` : (said ?? code);
}

/** The cause's code when fetch could not connect at all (undici wraps it in a TypeError). */
export function connectionCode(error: unknown): string | undefined {
  if (!(error instanceof TypeError) || !isRecord(error.cause)) return undefined;
  const cause = error.cause;
  const inner = Array.isArray(cause.errors) ? (cause.errors as unknown[])[0] : undefined;
  return firstString(cause.code, isRecord(inner) ? inner.code : undefined);
}

/** Runs task over items, at most `limit` at a time, starting them in order; results in order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A destination flow has one target connection; the id of the first, if any. */
export function firstTargetConnectionId(flow: Record<string, unknown>): string | undefined {
  return Array.isArray(flow.targetConnectionIds)
    ? firstString((flow.targetConnectionIds as unknown[])[0])
    : undefined;
}

/** The audience ids of a flow's segment selectors, in selector order, each once. */
export function audienceIdsOf(flow: Record<string, unknown>): string[] {
  const ids: string[] = [];
  const transformations = Array.isArray(flow.transformations) ? flow.transformations : [];
  for (const transformation of transformations as unknown[]) {
    const params = isRecord(transformation) ? transformation.params : undefined;
    const segmentSelectors = isRecord(params) ? params.segmentSelectors : undefined;
    const selectors = isRecord(segmentSelectors) ? segmentSelectors.selectors : undefined;
    for (const selector of Array.isArray(selectors) ? (selectors as unknown[]) : []) {
      const id = isRecord(selector) && isRecord(selector.value) ? selector.value.id : undefined;
      if (typeof id === 'string' && id !== '' && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}
