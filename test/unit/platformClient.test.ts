import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import {
  credentialsFromEnv,
  DEFAULT_ENDPOINTS,
  DEFAULT_SCOPES,
} from '../../common/platform/credentials';
import {
  PlatformClient,
  PlatformError,
  type PlatformClientOptions,
} from '../../common/platform/platformClient';
import { checkBaseUrl } from '../../common/platform/urls';
import * as fake from '../fakePlatform';

const { SAMPLE_FLOW_ID: FLOW_ID, SAMPLE_ETAG: ETAG, FAKE_CLIENT_SECRET: SECRET } = fake;
const FLOW_PATH = `/data/foundation/flowservice/flows/${FLOW_ID}`;

/** Every message and log line any test saw, checked for the secret and tokens at the end. */
const shown: string[] = [];
const servers: fake.FakePlatform[] = [];

async function serve(t: TestContext, options: fake.FakePlatformOptions = {}) {
  const platform = await fake.startFakePlatform({ ...fake.sampleData(), ...options });
  servers.push(platform);
  t.after(() => platform.close());
  return platform;
}

function client(platform: { url: string }, options: Partial<PlatformClientOptions> = {}) {
  const { credentials, endpoints } = credentialsFromEnv(fake.fakeEnv(platform));
  return new PlatformClient({ credentials, endpoints, log: (l) => shown.push(l), ...options });
}

/** The PlatformError, noted for the last test; it must be one line. */
function noted(error: unknown): PlatformError {
  assert.ok(error instanceof PlatformError, String(error));
  assert.doesNotMatch(error.message, /[\r\n]/, 'one line');
  shown.push(error.message);
  return error;
}

const refusal = (promise: Promise<unknown>) => promise.then(() => noted('resolved'), noted);

function thrown(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return noted(error).message;
  }
  return assert.fail('expected a PlatformError');
}

const tokenPosts = (p: fake.FakePlatform) => p.requests.filter((r) => r.path === '/ims/token/v3');

/** The error getFlow reports when the flow's route answers `answer`, and the URL it names. */
async function flowRefusal(t: TestContext, answer: fake.FakeResponse | 'hang', timeoutMs?: number) {
  const platform = await serve(t, fake.answering(FLOW_PATH, answer));
  const error = await refusal(client(platform, timeoutMs ? { timeoutMs } : {}).getFlow(FLOW_ID));
  return { error, origin: platform.url, url: `${platform.url}${FLOW_PATH}`, platform };
}

test('the token is one client_credentials form POST, reused by later requests', async (t) => {
  const platform = await serve(t);
  const aep = client(platform);
  await aep.getFlow(FLOW_ID);
  await aep.getFlow(FLOW_ID);
  const [tokenRequest, ...more] = tokenPosts(platform);
  assert.equal(more.length, 0);
  assert.equal(tokenRequest?.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(tokenRequest.body)), {
    grant_type: 'client_credentials',
    client_id: fake.FAKE_CLIENT_ID,
    client_secret: SECRET,
    scope: DEFAULT_SCOPES,
  });
});

test('a token IMS says has expired is fetched again', async (t) => {
  const platform = await serve(t, { tokenExpiresIn: 0 });
  const aep = client(platform);
  await aep.getFlow(FLOW_ID);
  await aep.getFlow(FLOW_ID);
  assert.equal(tokenPosts(platform).length, 2);
});

test('a Platform GET carries the token, x-api-key, org id, sandbox and Accept', async (t) => {
  const platform = await serve(t);
  await client(platform).getFlow(FLOW_ID);
  const get = platform.requests.find((r) => r.path === FLOW_PATH);
  assert.match(String(get?.headers.authorization), /^Bearer fake-token-[0-9a-f]+$/);
  assert.equal(get?.headers['x-api-key'], fake.FAKE_CLIENT_ID);
  assert.equal(get?.headers['x-gw-ims-org-id'], fake.FAKE_ORG_ID);
  assert.equal(get?.headers['x-sandbox-name'], 'dev');
  assert.equal(get?.headers.accept, 'application/json');
});

test('getFlow unwraps {items: [flow]} and keeps the raw answer', async (t) => {
  const platform = await serve(t);
  const { flow: got, raw } = await client(platform).getFlow(FLOW_ID);
  assert.deepEqual(got, fake.sampleFlow());
  assert.deepEqual(raw, { items: [fake.sampleFlow()] });
});

test('an answer without exactly one item, or not JSON, names the endpoint', async (t) => {
  const empty = await flowRefusal(t, { status: 200, body: { items: [] } });
  assert.equal(
    empty.error.message,
    `unexpected answer from GET ${empty.url}: expected {"items": [one flow]}, got 0 items`,
  );
  const html = await flowRefusal(t, { status: 200, body: '<html>proxy</html>' });
  assert.equal(html.error.message, `unexpected answer from GET ${html.url}: not JSON`);
});

test('pull reads the flow, its target connection and every audience, listing the deleted ones', async (t) => {
  const platform = await serve(t);
  const pulled = await client(platform).pull(FLOW_ID);
  assert.deepEqual(pulled, {
    flow: fake.sampleFlow(),
    targetConnection: fake.SAMPLE_TARGET_CONNECTION,
    audiences: { children: [fake.SAMPLE_AUDIENCE] },
    missingAudiences: ['aud-deleted'],
  });
});

test('pull asks for at most 4 audiences at a time, in selector order', async (t) => {
  const ids = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
  const platform = await serve(t, {
    flows: [fake.sampleFlow(ids)],
    audiences: ids.map((id) => ({ id, name: id })),
  });
  let inFlight = 0;
  let most = 0;
  const started: string[] = [];
  const counting: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/audiences/')) started.push(url.slice(url.lastIndexOf('/') + 1));
    most = Math.max(most, ++inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  const pulled = await client(platform, { fetch: counting }).pull(FLOW_ID);
  assert.ok(most <= 4, `${most} requests at once`);
  assert.deepEqual(started, ids);
  assert.deepEqual(
    pulled.audiences.children,
    ids.map((id) => ({ id, name: id })),
  );
});

test('patchFlow sends If-Match exactly as given and the patch, which the fake applies', async (t) => {
  const platform = await serve(t);
  const selectors = '/transformations/0/params/segmentSelectors/selectors';
  const added = { type: 'PLATFORM_SEGMENT', value: { id: 'aud-new', name: 'New' } };
  const patch = [
    { op: 'replace', path: '/name', value: 'Winback (v2)' },
    { op: 'add', path: `${selectors}/-`, value: added },
    { op: 'remove', path: `${selectors}/1` },
  ];
  const answer = await client(platform).patchFlow(FLOW_ID, ETAG, patch);
  const sent = platform.requests.find((r) => r.method === 'PATCH');
  assert.equal(sent?.headers['if-match'], ETAG);
  assert.equal(sent?.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(sent?.body ?? ''), patch);
  const stored = platform.flow(FLOW_ID);
  assert.equal(answer.id, FLOW_ID);
  assert.match(String(answer.etag), /^"[0-9a-f-]{36}"$/);
  assert.equal(stored?.etag, answer.etag);
  assert.equal(stored?.name, 'Winback (v2)');
  assert.deepEqual(fake.selectorIds(stored), ['aud-lapsed', 'aud-new']);
});

test('a stale etag gets 412 and the advice to run apply again', async (t) => {
  const platform = await serve(t);
  const error = await refusal(
    client(platform).patchFlow(FLOW_ID, '"stale"', [{ op: 'replace', path: '/name', value: 'x' }]),
  );
  assert.equal(error.status, 412);
  assert.equal(
    error.message,
    `the flow changed since it was read (412 Precondition Failed at PATCH ${platform.url}${FLOW_PATH}): run apply again to plan against the current flow`,
  );
  assert.equal(platform.flow(FLOW_ID)?.name, 'Winback to Marketo');
});

test('an operation the flow cannot take is refused with the server’s reason', async (t) => {
  const platform = await serve(t);
  const error = await refusal(
    client(platform).patchFlow(FLOW_ID, ETAG, [{ op: 'remove', path: '/nothing/here' }]),
  );
  assert.equal(error.status, 400);
  assert.match(
    error.message,
    /^Experience Platform answered 400 Bad Request at PATCH .*: invalid patch/,
  );
});

test('a wrong secret: IMS refuses, the message says which variables to check', async (t) => {
  const platform = await serve(t, { clientSecret: 'another-secret' });
  const error = await refusal(client(platform).getFlow(FLOW_ID));
  assert.equal(
    error.message,
    `Adobe IMS refused the credentials (400 Bad Request at POST ${platform.url}/ims/token/v3: invalid_client: invalid client_id parameter): check AEP_CLIENT_ID and AEP_CLIENT_SECRET`,
  );
  assert.equal(platform.requests.length, 1, 'no Platform request without a token');
});

test('a token Platform refuses (401) is reported, and the next call fetches a new one', async (t) => {
  let refuse = true;
  const body = { error_code: '401013', message: 'Oauth token is not valid' };
  const platform = await serve(t, {
    respond: (req) => (req.path === FLOW_PATH && refuse ? { status: 401, body } : undefined),
  });
  const aep = client(platform);
  const error = await refusal(aep.getFlow(FLOW_ID));
  assert.match(
    error.message,
    /^Experience Platform refused the token \(401 Unauthorized at GET .*: 401013: Oauth token is not valid\)/,
  );
  refuse = false;
  await aep.getFlow(FLOW_ID);
  assert.equal(tokenPosts(platform).length, 2);
});

test('403 names the sandbox and the Destinations permissions', async (t) => {
  const body = { error_code: '403027', message: 'User region is missing' };
  const { error, url } = await flowRefusal(t, { status: 403, body });
  assert.equal(error.status, 403);
  assert.equal(
    error.message,
    `forbidden (403 Forbidden at GET ${url}: 403027: User region is missing): the credential's product profile lacks access to sandbox 'dev' or the Destinations permissions (View Destinations, Manage Destinations)`,
  );
});

test('404 names the flow or target connection and the sandbox; a deleted audience is undefined', async (t) => {
  const platform = await serve(t);
  const aep = client(platform);
  assert.equal(
    (await refusal(aep.getFlow('nope'))).message,
    `no flow 'nope' in sandbox 'dev' (404 Not Found at GET ${platform.url}/data/foundation/flowservice/flows/nope: Flow with id nope not found)`,
  );
  assert.match(
    (await refusal(aep.getTargetConnection('gone'))).message,
    /^no target connection 'gone' in sandbox 'dev' \(404 Not Found at GET /,
  );
  assert.equal(await aep.getAudience('aud-deleted'), undefined);
});

test('429 says when to retry (Retry-After) and is not retried automatically', async (t) => {
  const body = { error_code: '429050', message: 'Too many requests' };
  const answer = { status: 429, headers: { 'Retry-After': '30' }, body };
  const { error, url, platform } = await flowRefusal(t, answer);
  assert.equal(error.status, 429);
  assert.equal(
    error.message,
    `rate limited (429 Too Many Requests at GET ${url}: 429050: Too many requests): retry after 30 s`,
  );
  assert.equal(platform.requests.filter((r) => r.path === FLOW_PATH).length, 1);
});

test('5xx says Experience Platform failed and to try again later', async (t) => {
  const { error, url } = await flowRefusal(t, { status: 503, body: '<html>down</html>' });
  assert.equal(
    error.message,
    `Experience Platform answered 503 Service Unavailable at GET ${url}; try again later`,
  );
});

test('a server that never answers: the message names the origin, the timeout and the request', async (t) => {
  const { error, origin, url } = await flowRefusal(t, 'hang', 300);
  assert.equal(error.message, `no answer from ${origin} within 0.3 s (GET ${url})`);
});

test('an unreachable host: the message names the origin and the error code', async () => {
  const url = await fake.unreachableUrl();
  const error = await refusal(client({ url }).getFlow(FLOW_ID));
  assert.match(
    error.message,
    new RegExp(`^cannot reach ${url} \\(ECONNREFUSED\\) at POST ${url}/ims/token/v3`),
  );
});

test('a server echoing the secret or the token: the message shows *** instead', async (t) => {
  const echo = (path: string, status: number) => ({
    respond: (req: fake.RecordedRequest) =>
      req.path === path
        ? {
            status,
            body: { message: `${String(req.headers.authorization)} ${req.body} ${SECRET}` },
          }
        : undefined,
  });
  const fromIms = await refusal(
    client(await serve(t, echo('/ims/token/v3', 400))).getFlow(FLOW_ID),
  );
  assert.match(fromIms.message, /client_secret=\*\*\*&scope=.* \*\*\*\): check AEP_CLIENT_ID/);
  const fromPlatform = await refusal(client(await serve(t, echo(FLOW_PATH, 500))).getFlow(FLOW_ID));
  assert.match(fromPlatform.message, /\(Bearer \*\*\* \*\*\*\); try again later$/);
});

test('checkBaseUrl allows https and loopback http only, without credentials or query', () => {
  const allowed: [string, string][] = [
    ['https://platform.adobe.io/', 'https://platform.adobe.io'],
    ['http://127.0.0.1:1234', 'http://127.0.0.1:1234'],
    ['http://[::1]:1/', 'http://[::1]:1'],
    ['http://localhost:3', 'http://localhost:3'],
  ];
  for (const [url, base] of allowed) assert.equal(checkBaseUrl(url, 'AEP_PLATFORM_URL'), base);
  assert.equal(
    thrown(() => checkBaseUrl('http://example.com', 'AEP_PLATFORM_URL')),
    "AEP_PLATFORM_URL 'http://example.com' is not HTTPS: only loopback addresses may use http",
  );
  const refused: [string, RegExp][] = [
    [
      'https://me:hunter2@platform.adobe.io',
      /^U 'https:\/\/\*\*\*@platform\.adobe\.io' contains credentials/,
    ],
    ['https://platform.adobe.io/?key=1', /^U '.*' has a query/],
    ['ftp://127.0.0.1', /^U '.*' is not HTTPS/],
    ['platform.adobe.io', /^U 'platform.adobe.io' is not a URL/],
  ];
  const refusedUrl = (url: string) => thrown(() => checkBaseUrl(url, 'U'));
  for (const [url, message] of refused) assert.match(refusedUrl(url), message);
  // The client checks again, for callers that bypass credentialsFromEnv.
  const { credentials } = credentialsFromEnv(fake.fakeEnv({ url: 'http://127.0.0.1:1' }));
  const endpoints = { imsUrl: 'http://example.com', platformUrl: 'https://platform.adobe.io' };
  assert.match(
    thrown(() => new PlatformClient({ credentials, endpoints })),
    /^the IMS URL 'http:\/\/example\.com' is not HTTPS/,
  );
});

test('credentialsFromEnv names every missing variable and never a value', () => {
  const some = { AEP_CLIENT_SECRET: 'do-not-echo-me', AEP_SANDBOX_NAME: 'prod-sandbox-value' };
  const message = thrown(() => credentialsFromEnv(some));
  assert.match(message, /^missing environment variables AEP_CLIENT_ID, AEP_ORG_ID: /);
  assert.doesNotMatch(message, /do-not-echo-me|prod-sandbox-value/);
  assert.match(
    thrown(() => credentialsFromEnv({ AEP_CLIENT_ID: '  ' })),
    /AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ORG_ID, AEP_SANDBOX_NAME/,
  );
  const full = {
    AEP_CLIENT_ID: 'id',
    AEP_CLIENT_SECRET: 's\n',
    AEP_ORG_ID: 'o',
    AEP_SANDBOX_NAME: 'sb',
  };
  const credentials = { clientId: 'id', clientSecret: 's', orgId: 'o', sandboxName: 'sb' };
  assert.deepEqual(credentialsFromEnv(full), {
    credentials: { ...credentials, scopes: DEFAULT_SCOPES },
    endpoints: DEFAULT_ENDPOINTS,
    timeoutMs: 30_000,
  });
  const local = {
    ...full,
    AEP_PLATFORM_URL: 'http://127.0.0.1:9/',
    AEP_HTTP_TIMEOUT_SECONDS: '2.5',
  };
  assert.equal(credentialsFromEnv(local).endpoints.platformUrl, 'http://127.0.0.1:9');
  assert.equal(credentialsFromEnv(local).timeoutMs, 2500);
  const refused: [Record<string, string>, RegExp][] = [
    [
      { AEP_PLATFORM_URL: 'http://example.com' },
      /^AEP_PLATFORM_URL 'http:\/\/example\.com' is not HTTPS/,
    ],
    [{ AEP_HTTP_TIMEOUT_SECONDS: 'soon' }, /^AEP_HTTP_TIMEOUT_SECONDS 'soon' is not a number/],
  ];
  for (const [env, message] of refused) {
    assert.match(
      thrown(() => credentialsFromEnv({ ...full, ...env })),
      message,
    );
  }
});

test('log lines say method, URL, status and time, and nothing else', async (t) => {
  const platform = await serve(t);
  const lines: string[] = [];
  await client(platform, { log: (line) => lines.push(line) }).pull(FLOW_ID);
  shown.push(...lines);
  assert.equal(lines.length, platform.requests.length);
  for (const line of lines)
    assert.match(line, /^(GET|POST) http:\/\/127\.0\.0\.1:\d+\/[\w/.-]+ \d{3} \d+ ms$/);
});

test('no message or log line of any test contained the secret or a token', () => {
  const bearer = (r: fake.RecordedRequest) => /^Bearer (.+)$/.exec(String(r.headers.authorization));
  const tokens = servers.flatMap((p) => p.requests.flatMap((r) => bearer(r)?.slice(1) ?? []));
  assert.ok(
    shown.length > 20 && tokens.length > 10,
    `${shown.length} lines, ${tokens.length} tokens`,
  );
  for (const line of shown) {
    assert.ok(!line.includes(SECRET), line);
    for (const token of tokens) assert.ok(!line.includes(token), line);
  }
});
