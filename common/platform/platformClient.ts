/**
 * A small client of the Experience Platform APIs the Flow Service round trip needs: the access
 * token from Adobe IMS, a destination dataflow and its target connection, audiences, and the
 * PATCH that changes a flow.
 *
 * It runs in Node (the CLI, the language server) and in the VS Code extension host, so it uses
 * only the global fetch, AbortSignal.timeout and URL. It never retries by itself: a rate limit,
 * an outage or a stale etag is reported in one line and the user decides, which keeps `apply`
 * from sending a patch twice.
 */
import {
  audienceIdsOf,
  connectionCode,
  firstTargetConnectionId,
  firstString,
  isRecord,
  mapLimited,
  oneLine,
  REASONS,
  retryAfterSeconds,
  masked,
  secondsText,
  secretForms,
  serverSaid,
  shorten,
} from './answers';
import type { PlatformCredentials, PlatformEndpoints } from './credentials';
import { checkBaseUrl, endpointOf, originOf, PlatformError } from './urls';

export { PlatformError } from './urls';

export interface PlatformClientOptions {
  credentials: PlatformCredentials;
  endpoints: PlatformEndpoints;
  /** Per request, body included; 30 s when not given. */
  timeoutMs?: number;
  /** For tests and hosts with their own fetch; the global one otherwise. */
  fetch?: typeof fetch;
  /** Called with one line per request, for logs: method, URL, status, ms; never headers or bodies. */
  log?: (line: string) => void;
  /**
   * How messages name the credential's parts: the CLI's environment variables by default; the
   * editor names what it asked for.
   */
  names?: CredentialNames;
}

export interface CredentialNames {
  clientIdAndSecret: string;
  scopes: string;
  orgId: string;
}

const ENV_NAMES: CredentialNames = {
  clientIdAndSecret: 'AEP_CLIENT_ID and AEP_CLIENT_SECRET',
  scopes: 'AEP_SCOPES',
  orgId: 'AEP_ORG_ID',
};

const FLOW_SERVICE = '/data/foundation/flowservice';
const AUDIENCES = '/data/core/ups/audiences';
/** Enough to pull a flow with hundreds of audiences quickly without tripping the rate limit. */
const AUDIENCE_CONCURRENCY = 4;
const MAX_SERVER_MESSAGE = 200;
/** Renew a token this long before IMS says it expires, so it cannot lapse mid-request. */
const TOKEN_MARGIN_MS = 60_000;

type Service = 'ims' | 'platform';
const SERVICE_NAMES: Record<Service, string> = {
  ims: 'Adobe IMS',
  platform: 'Experience Platform',
};

interface Answer {
  status: number;
  /** `412 Precondition Failed`. */
  statusLine: string;
  headers: Headers;
  text: string;
  endpoint: string;
}

/** What a request reads, so a 404 can say which object is missing. */
interface Subject {
  kind: 'flow' | 'target connection' | 'audience';
  id: string;
}

export class PlatformClient {
  private readonly credentials: PlatformCredentials;
  private readonly endpoints: PlatformEndpoints;
  private readonly names: CredentialNames;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly log: ((line: string) => void) | undefined;
  private token: { value: string; expiresAt: number } | undefined;
  private tokenRequest: Promise<string> | undefined;
  /** Every token IMS gave this client, so even an expired one never reaches a message. */
  private readonly issuedTokens = new Set<string>();

  constructor(options: PlatformClientOptions) {
    this.credentials = { ...options.credentials };
    this.names = options.names ?? ENV_NAMES;
    this.endpoints = {
      imsUrl: checkBaseUrl(options.endpoints.imsUrl, 'the IMS URL'),
      platformUrl: checkBaseUrl(options.endpoints.platformUrl, 'the Experience Platform URL'),
    };
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new PlatformError(`the HTTP timeout ${timeoutMs} ms is not a positive number`);
    }
    this.timeoutMs = timeoutMs;
    // Looked up at call time so a test (or a host) replacing the global fetch is honoured.
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.log = options.log;
  }

  async getFlow(flowId: string): Promise<{ flow: Record<string, unknown>; raw: unknown }> {
    const subject = this.subject('flow', flowId);
    const url = this.platformUrl(`${FLOW_SERVICE}/flows`, subject);
    const answer = await this.platform('GET', url, subject);
    const raw = this.json(answer);
    return { flow: this.onlyItem(answer, raw, 'flow'), raw };
  }

  async getTargetConnection(
    id: string,
  ): Promise<{ targetConnection: Record<string, unknown>; raw: unknown }> {
    const subject = this.subject('target connection', id);
    const url = this.platformUrl(`${FLOW_SERVICE}/targetConnections`, subject);
    const answer = await this.platform('GET', url, subject);
    const raw = this.json(answer);
    return { targetConnection: this.onlyItem(answer, raw, 'target connection'), raw };
  }

  /** undefined for a 404: the audience was deleted since the flow selected it. */
  async getAudience(id: string): Promise<Record<string, unknown> | undefined> {
    const subject = this.subject('audience', id);
    const url = this.platformUrl(AUDIENCES, subject);
    const answer = await this.platform('GET', url, subject, { allow404: true });
    if (answer.status === 404) return undefined;
    const audience = this.json(answer);
    if (!isRecord(audience)) throw this.unexpected(answer, 'not an audience object');
    return audience;
  }

  async patchFlow(
    flowId: string,
    ifMatch: string,
    patch: readonly unknown[],
  ): Promise<{ id: string | undefined; etag: string | undefined }> {
    const subject = this.subject('flow', flowId);
    if (ifMatch.trim() === '') {
      throw this.fail(`no etag for flow '${subject.id}': read the flow before patching it`);
    }
    if (!Array.isArray(patch)) throw this.fail('the patch is not a JSON array of operations');
    const url = this.platformUrl(`${FLOW_SERVICE}/flows`, subject);
    const answer = await this.platform('PATCH', url, subject, {
      // Sent verbatim: Adobe's etags include their double quotes and compare them byte for byte.
      headers: { 'If-Match': ifMatch, 'Content-Type': 'application/json' },
      body: JSON.stringify(patch),
      allow412: true,
    });
    if (answer.status === 412) {
      throw this.fail(
        `the flow changed since it was read (412 Precondition Failed at ${answer.endpoint}): run apply again to plan against the current flow`,
        412,
        answer.endpoint,
      );
    }
    const body = answer.text.trim() === '' ? {} : this.json(answer);
    if (!isRecord(body)) throw this.unexpected(answer, 'not an object');
    return {
      id: firstString(body.id),
      etag: firstString(body.etag, answer.headers.get('etag') ?? undefined),
    };
  }

  async pull(flowId: string): Promise<{
    flow: Record<string, unknown>;
    targetConnection: Record<string, unknown> | undefined;
    audiences: { children: Record<string, unknown>[] };
    missingAudiences: string[];
  }> {
    const { flow } = await this.getFlow(flowId);
    const targetConnectionId = firstTargetConnectionId(flow);
    const targetConnection = targetConnectionId
      ? (await this.getTargetConnection(targetConnectionId)).targetConnection
      : undefined;
    const ids = audienceIdsOf(flow);
    const found = await mapLimited(ids, AUDIENCE_CONCURRENCY, (id) => this.getAudience(id));
    const children = found.filter((a): a is Record<string, unknown> => a !== undefined);
    const missingAudiences = ids.filter((_, index) => found[index] === undefined);
    return { flow, targetConnection, audiences: { children }, missingAudiences };
  }

  /** Fetched lazily and shared by concurrent requests; renewed only once it expires. */
  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return this.token.value;
    this.tokenRequest ??= this.requestToken().finally(() => {
      this.tokenRequest = undefined;
    });
    return this.tokenRequest;
  }

  /**
   * The OAuth Server-to-Server client_credentials grant, parameters in the body (Adobe advises
   * against the query, which servers log): "OAuth Server-to-Server credential API Reference",
   * https://developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/ims
   */
  private async requestToken(): Promise<string> {
    const url = `${this.endpoints.imsUrl}/ims/token/v3`;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.credentials.clientId,
      client_secret: this.credentials.clientSecret,
      scope: this.credentials.scopes,
    });
    const answer = await this.send('ims', 'POST', url, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
    });
    if (answer.status < 200 || answer.status > 299) throw this.statusError('ims', answer);
    const body = this.json(answer);
    const token = isRecord(body) ? firstString(body.access_token) : undefined;
    if (!isRecord(body) || token === undefined) {
      throw this.unexpected(answer, 'no access_token');
    }
    this.issuedTokens.add(token);
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in * 1000 : Infinity;
    const margin = Math.min(TOKEN_MARGIN_MS, expiresIn / 10);
    this.token = { value: token, expiresAt: Date.now() + expiresIn - margin };
    return token;
  }

  private subject(kind: Subject['kind'], id: string): Subject {
    const trimmed = typeof id === 'string' ? id.trim() : '';
    if (trimmed === '') throw this.fail(`no ${kind} id given`);
    return { kind, id: trimmed };
  }

  private platformUrl(collection: string, subject: Subject): string {
    return `${this.endpoints.platformUrl}${collection}/${encodeURIComponent(subject.id)}`;
  }

  /** A Platform request with the four identifying headers; any status not allowed throws. */
  private async platform(
    method: string,
    url: string,
    subject: Subject,
    extra: {
      headers?: Record<string, string>;
      body?: string;
      allow404?: boolean;
      allow412?: boolean;
    } = {},
  ): Promise<Answer> {
    const token = await this.accessToken();
    const answer = await this.send('platform', method, url, {
      headers: {
        Authorization: `Bearer ${token}`,
        'x-api-key': this.credentials.clientId,
        'x-gw-ims-org-id': this.credentials.orgId,
        'x-sandbox-name': this.credentials.sandboxName,
        Accept: 'application/json',
        ...extra.headers,
      },
      body: extra.body,
    });
    // A refused token is not worth keeping: the next call fetches a new one.
    if (answer.status === 401) this.token = undefined;
    const allowed =
      (answer.status >= 200 && answer.status <= 299) ||
      (answer.status === 404 && extra.allow404 === true) ||
      (answer.status === 412 && extra.allow412 === true);
    if (!allowed) throw this.statusError('platform', answer, subject);
    return answer;
  }

  private async send(
    service: Service,
    method: string,
    url: string,
    init: { headers: Record<string, string>; body: string | undefined },
  ): Promise<Answer> {
    const endpoint = endpointOf(method, url);
    const started = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        method,
        headers: init.headers,
        body: init.body,
        // A redirect would carry the secret or the token to wherever it points: report it instead.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const failure = this.transportError(service, url, endpoint, error);
      this.logLine(`${endpoint} failed (${failure.short}) ${Date.now() - started} ms`);
      throw failure.error;
    }
    this.logLine(`${endpoint} ${response.status} ${Date.now() - started} ms`);
    const reason = REASONS[response.status] ?? oneLine(response.statusText);
    return {
      status: response.status,
      statusLine: reason ? `${response.status} ${reason}` : `${response.status}`,
      headers: response.headers,
      text,
      endpoint,
    };
  }

  private transportError(
    service: Service,
    url: string,
    endpoint: string,
    error: unknown,
  ): { short: string; error: PlatformError } {
    const origin = originOf(url);
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      const message = `no answer from ${origin} within ${secondsText(this.timeoutMs)} (${endpoint})`;
      return { short: 'timeout', error: this.fail(message, undefined, endpoint) };
    }
    const code = connectionCode(error);
    if (code !== undefined && /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS)/.test(code)) {
      const message = `the TLS certificate of ${origin} was not accepted (${code}) at ${endpoint}: if a proxy inspects TLS, point NODE_EXTRA_CA_CERTS at its CA`;
      return { short: code, error: this.fail(message, undefined, endpoint) };
    }
    if (code !== undefined) {
      const message = `cannot reach ${origin} (${code}) at ${endpoint}: check the ${SERVICE_NAMES[service]} URL and the network`;
      return { short: code, error: this.fail(message, undefined, endpoint) };
    }
    // undici says only "fetch failed"; the reason (such as "bad port") is in the cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    const why = `${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ''}`;
    return {
      short: 'error',
      error: this.fail(`cannot send ${endpoint}: ${why}`, undefined, endpoint),
    };
  }

  private statusError(service: Service, answer: Answer, subject?: Subject): PlatformError {
    const said = this.serverMessage(answer.text);
    const at = `${answer.statusLine} at ${answer.endpoint}`;
    const detail = said ? `${at}: ${said}` : at;
    const status = answer.status;
    const sandbox = this.credentials.sandboxName;
    let message: string;
    if (service === 'ims' && (status === 400 || status === 401)) {
      message = /^invalid_scope\b/.test(said ?? '')
        ? `Adobe IMS refused the scopes (${detail}): check ${this.names.scopes} against the credential's scopes in the Developer Console`
        : `Adobe IMS refused the credentials (${detail}): check ${this.names.clientIdAndSecret}`;
    } else if (status === 401) {
      message = `Experience Platform refused the token (${detail}): check that ${this.names.orgId} is the credential's organization and that its project includes the Experience Platform API`;
    } else if (status === 403) {
      message = `forbidden (${detail}): the credential's product profile lacks access to sandbox '${sandbox}' or the Destinations permissions (View Destinations, Manage Destinations)`;
    } else if (status === 404 && subject) {
      message = `no ${subject.kind} '${subject.id}' in sandbox '${sandbox}' (${detail})`;
    } else if (status === 429) {
      const wait = retryAfterSeconds(answer.headers.get('retry-after'));
      const advice = wait === undefined ? 'wait a minute and try again' : `retry after ${wait} s`;
      message = `rate limited (${detail}): ${advice}`;
    } else if (status >= 500) {
      message = `${SERVICE_NAMES[service]} answered ${at}${said ? ` (${said})` : ''}; try again later`;
    } else if (status >= 300 && status <= 399) {
      message = `${SERVICE_NAMES[service]} redirected elsewhere (${at}): check the ${SERVICE_NAMES[service]} URL`;
    } else {
      message = `${SERVICE_NAMES[service]} answered ${detail}`;
    }
    return this.fail(message, status, answer.endpoint);
  }

  private json(answer: Answer): unknown {
    if (answer.text.trim() === '') throw this.unexpected(answer, 'not JSON (empty body)');
    try {
      return JSON.parse(answer.text) as unknown;
    } catch {
      throw this.unexpected(answer, 'not JSON');
    }
  }

  /** Flow Service wraps even a single object in `{items: [...]}`. */
  private onlyItem(answer: Answer, raw: unknown, kind: Subject['kind']): Record<string, unknown> {
    const items = isRecord(raw) && Array.isArray(raw.items) ? (raw.items as unknown[]) : undefined;
    if (items?.length === 1 && isRecord(items[0])) return items[0];
    const got = items === undefined ? 'no items array' : `${items.length} items`;
    throw this.unexpected(answer, `expected {"items": [one ${kind}]}, got ${got}`);
  }

  /** A server's own words, one line and short, with anything secret masked. */
  private serverMessage(text: string): string | undefined {
    const said = serverSaid(text);
    return said === undefined ? undefined : shorten(oneLine(this.redact(said)), MAX_SERVER_MESSAGE);
  }

  private redact(text: string): string {
    return masked(text, [...secretForms(this.credentials.clientSecret), ...this.issuedTokens]);
  }

  private unexpected(answer: Answer, what: string): PlatformError {
    return this.fail(
      `unexpected answer from ${answer.endpoint}: ${what}`,
      answer.status,
      answer.endpoint,
    );
  }

  private fail(message: string, status?: number, endpoint?: string): PlatformError {
    return new PlatformError(this.redact(oneLine(this.redact(message))), status, endpoint);
  }

  private logLine(line: string): void {
    this.log?.(this.redact(oneLine(line)));
  }
}
