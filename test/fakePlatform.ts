/**
 * A fake of Adobe IMS, Flow Service and the audiences API on 127.0.0.1, for tests of the
 * Platform client, the CLI and the VS Code client. It answers the shapes Adobe documents
 * (see /work/shared/formats.md "Flow Service"; the token exchange as in
 * https://developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/ims)
 * and checks what a real gateway checks, so a client that forgets a header fails here too.
 *
 * The error bodies imitate Adobe's: the gateway's `{"error_code","message"}`, IMS's
 * `{"error","error_description"}` and Flow Service's RFC 7807-like `{"type","title","status",
 * "detail"}`. The codes in them are illustrative, not Adobe's catalogue.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { applyPatch, type Operation } from 'fast-json-patch';

export const FAKE_CLIENT_ID = 'test-client';
export const FAKE_CLIENT_SECRET = 'test-secret-p7Qx2VwL9kRz';
export const FAKE_ORG_ID = 'ABC123@AdobeOrg';

export interface RecordedRequest {
  method: string;
  /** With the query. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type FakeResponse = { status: number; headers?: Record<string, string>; body?: unknown };

export interface FakePlatformOptions {
  clientId?: string;
  clientSecret?: string;
  /** Flow objects with `id` and `etag`. */
  flows?: Record<string, unknown>[];
  targetConnections?: Record<string, unknown>[];
  /** Matched by `id` or `audienceId`. */
  audiences?: Record<string, unknown>[];
  /** What IMS says a token lasts, in seconds (86399 like Adobe unless given). */
  tokenExpiresIn?: number;
  /**
   * Per-route overrides for error tests: an answer, 'hang' (never answer), or undefined for the
   * normal route. A string body is sent as is, anything else as JSON.
   */
  respond?: (req: RecordedRequest) => FakeResponse | 'hang' | undefined;
}

export interface FakePlatform {
  /** `http://127.0.0.1:<port>`, usable as both the IMS and the Platform URL. */
  url: string;
  requests: RecordedRequest[];
  /** The stored flow as it is now, patches applied. */
  flow(id: string): Record<string, unknown> | undefined;
  close(): Promise<void>;
}

// Sample objects shaped as GET /flows/{id}, GET /targetConnections/{id} and
// GET /data/core/ups/audiences/{id} answer (formats.md "Flow Service", "Audiences"); the
// connection params are names we assume, since Adobe documents none for Marketo.
export const SAMPLE_FLOW_ID = 'c1a2b3d4-0000-4aaa-8bbb-000000000001';
export const SAMPLE_TARGET_CONNECTION_ID = 'a9b8c7d6-0000-4ccc-8ddd-000000000002';
/** Adobe's etags carry their double quotes inside the string. */
export const SAMPLE_ETAG = '"1a00b2c3-0000-0200-0000-65f1a2b30000"';

/** A Marketo destination flow selecting the given audiences; 'aud-deleted' exists nowhere. */
export function sampleFlow(audienceIds = ['aud-lapsed', 'aud-deleted']): Record<string, unknown> {
  const selectors = audienceIds.map((id) => ({
    type: 'PLATFORM_SEGMENT',
    value: { id, name: `Audience ${id}`, description: '', createTime: 1, updateTime: 2 },
  }));
  return {
    id: SAMPLE_FLOW_ID,
    name: 'Winback to Marketo',
    description: 'Lapsed buyers',
    flowSpec: { id: 'flow-spec-id', version: '1.0' },
    state: 'enabled',
    etag: SAMPLE_ETAG,
    sourceConnectionIds: ['sc-1'],
    targetConnectionIds: [SAMPLE_TARGET_CONNECTION_ID],
    inheritedAttributes: { properties: { isDestinationFlow: true } },
    transformations: [
      {
        name: 'GeneralTransform',
        params: { profileSelectors: { selectors: [] }, segmentSelectors: { selectors } },
      },
    ],
    sandboxName: 'dev',
  };
}

export const SAMPLE_TARGET_CONNECTION = {
  id: SAMPLE_TARGET_CONNECTION_ID,
  name: 'Marketo',
  params: { munchkinId: '123-ABC-456' },
};
export const SAMPLE_AUDIENCE = {
  id: 'aud-lapsed',
  audienceId: 'aud-lapsed',
  name: 'Lapsed buyers',
};

/** A flow selecting one live and one deleted audience, its target connection and the live one. */
export function sampleData(): Pick<
  FakePlatformOptions,
  'flows' | 'targetConnections' | 'audiences'
> {
  return {
    flows: [sampleFlow()],
    targetConnections: [SAMPLE_TARGET_CONNECTION],
    audiences: [SAMPLE_AUDIENCE],
  };
}

/** The AEP_* variables that point the CLI (or credentialsFromEnv) at a fake, as sandbox 'dev'. */
export function fakeEnv(platform: { url: string }): Record<string, string> {
  return {
    AEP_CLIENT_ID: FAKE_CLIENT_ID,
    AEP_CLIENT_SECRET: FAKE_CLIENT_SECRET,
    AEP_ORG_ID: FAKE_ORG_ID,
    AEP_SANDBOX_NAME: 'dev',
    AEP_IMS_URL: platform.url,
    AEP_PLATFORM_URL: platform.url,
  };
}

/** The audience ids a flow's segment selectors hold, in order. */
export function selectorIds(flow: Record<string, unknown> | undefined): unknown[] {
  type Selectors = { params: { segmentSelectors: { selectors: { value: { id: unknown } }[] } } }[];
  const [general] = (flow?.transformations ?? []) as Selectors;
  return general?.params.segmentSelectors.selectors.map((s) => s.value.id) ?? [];
}

/** A `respond` that answers one path (with its query) and leaves every other route alone. */
export function answering(
  path: string,
  answer: FakeResponse | 'hang',
): Pick<FakePlatformOptions, 'respond'> {
  return { respond: (req) => (req.path === path ? answer : undefined) };
}

/** `http://127.0.0.1:<port>` where nothing listens: a port just opened and closed again. */
export async function unreachableUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const FLOWS = /^\/data\/foundation\/flowservice\/flows\/([^/]+)$/;
const TARGET_CONNECTIONS = /^\/data\/foundation\/flowservice\/targetConnections\/([^/]+)$/;
const AUDIENCE = /^\/data\/core\/ups\/audiences\/([^/]+)$/;

function flowServiceError(status: number, title: string, detail: string): FakeResponse {
  return {
    status,
    body: {
      type: `https://ns.adobe.com/aep/errors/FLOW-1${status}-${status}`,
      title,
      status,
      detail,
    },
  };
}

function header(req: RecordedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function startFakePlatform(options: FakePlatformOptions = {}): Promise<FakePlatform> {
  const clientId = options.clientId ?? FAKE_CLIENT_ID;
  const clientSecret = options.clientSecret ?? FAKE_CLIENT_SECRET;
  const flows = new Map<string, Record<string, unknown>>(
    (options.flows ?? []).map((f) => [String(f.id), structuredClone(f)]),
  );
  const targetConnections = options.targetConnections ?? [];
  const audiences = options.audiences ?? [];
  const tokens = new Set<string>();
  const requests: RecordedRequest[] = [];

  function token(req: RecordedRequest): FakeResponse {
    const form = new URLSearchParams(req.body);
    if (!/^application\/x-www-form-urlencoded\b/.test(header(req, 'content-type') ?? '')) {
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'form expected' },
      };
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'unsupported grant_type' },
      };
    }
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return {
        status: 400,
        body: { error: 'invalid_client', error_description: 'invalid client_id parameter' },
      };
    }
    if (!form.get('scope')) {
      return { status: 400, body: { error: 'invalid_scope', error_description: 'scope missing' } };
    }
    const accessToken = `fake-token-${randomBytes(12).toString('hex')}`;
    tokens.add(accessToken);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: options.tokenExpiresIn ?? 86399,
      },
    };
  }

  /** The gateway's checks, in the order Adobe's gateway seems to apply them. */
  function gateway(req: RecordedRequest): FakeResponse | undefined {
    const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
    if (bearer === undefined || !tokens.has(bearer)) {
      return { status: 401, body: { error_code: '401013', message: 'Oauth token is not valid' } };
    }
    if (header(req, 'x-api-key') !== clientId) {
      return { status: 401, body: { error_code: '401', message: 'Api Key is invalid' } };
    }
    for (const name of ['x-gw-ims-org-id', 'x-sandbox-name']) {
      if (!header(req, name)) {
        return { status: 400, body: { error_code: '400', message: `Missing header ${name}` } };
      }
    }
    return undefined;
  }

  function patchFlow(req: RecordedRequest, id: string): FakeResponse {
    const flow = flows.get(id);
    if (!flow) return flowServiceError(404, 'Not Found', `Flow with id ${id} not found`);
    if (!/^application\/json\b/.test(header(req, 'content-type') ?? '')) {
      return flowServiceError(415, 'Unsupported Media Type', 'Content-Type must be JSON');
    }
    if (header(req, 'if-match') !== flow.etag) {
      return flowServiceError(412, 'Precondition Failed', `If-Match does not match flow ${id}`);
    }
    let patch: unknown;
    try {
      patch = JSON.parse(req.body);
    } catch {
      return flowServiceError(400, 'Bad Request', 'body is not JSON');
    }
    if (!Array.isArray(patch)) {
      return flowServiceError(400, 'Bad Request', 'body is not a JSON Patch array');
    }
    let patched: Record<string, unknown>;
    try {
      patched = applyPatch(structuredClone(flow), patch as Operation[], true, false).newDocument;
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : 'invalid patch';
      return flowServiceError(400, 'Bad Request', `invalid patch: ${why}`);
    }
    const etag = `"${randomUUID()}"`;
    flows.set(id, { ...patched, id, etag, updatedAt: Date.now() });
    return { status: 202, body: { id, etag } };
  }

  function route(req: RecordedRequest): FakeResponse {
    const path = new URL(req.path, 'http://fake').pathname;
    if (path === '/ims/token/v3') {
      return req.method === 'POST' ? token(req) : { status: 405, body: { error: 'method' } };
    }
    const refused = gateway(req);
    if (refused) return refused;
    const flowId = FLOWS.exec(path)?.[1];
    if (flowId !== undefined && req.method === 'PATCH') return patchFlow(req, decoded(flowId));
    if (req.method !== 'GET') return flowServiceError(405, 'Method Not Allowed', req.method);
    if (flowId !== undefined) {
      const flow = flows.get(decoded(flowId));
      return flow
        ? { status: 200, body: { items: [flow] } }
        : flowServiceError(404, 'Not Found', `Flow with id ${decoded(flowId)} not found`);
    }
    const tcId = TARGET_CONNECTIONS.exec(path)?.[1];
    if (tcId !== undefined) {
      const tc = targetConnections.find((t) => t.id === decoded(tcId));
      return tc
        ? { status: 200, body: { items: [tc] } }
        : flowServiceError(404, 'Not Found', `Target connection ${decoded(tcId)} not found`);
    }
    const audienceId = AUDIENCE.exec(path)?.[1];
    if (audienceId !== undefined) {
      const id = decoded(audienceId);
      const audience = audiences.find((a) => a.id === id || a.audienceId === id);
      return audience
        ? { status: 200, body: audience }
        : { status: 404, body: { type: 'not-found', title: 'Not Found', status: 404 } };
    }
    return { status: 404, body: { error_code: '404', message: `no route ${path}` } };
  }

  const sockets = new Set<Socket>();
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const req: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: { ...incoming.headers },
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(req);
      const answer = options.respond?.(req) ?? route(req);
      if (answer === 'hang') return;
      const text =
        typeof answer.body === 'string'
          ? answer.body
          : answer.body === undefined
            ? ''
            : JSON.stringify(answer.body);
      outgoing.writeHead(answer.status, {
        'Content-Type': 'application/json',
        ...answer.headers,
      });
      outgoing.end(text);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    flow: (id) => flows.get(id),
    close: () =>
      new Promise<void>((resolve) => {
        // A hanging request keeps its socket open; close() would wait for it forever.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
