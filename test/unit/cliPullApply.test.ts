import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../server/src/cli/aep-dest';
import {
  FAKE_CLIENT_ID,
  FAKE_CLIENT_SECRET,
  type FakePlatform,
  type FakePlatformOptions,
  type FakeResponse,
  type RecordedRequest,
  startFakePlatform,
} from '../fakePlatform';
import { type CliRun, STACK_FRAME, runCli } from '../cliRunner';
import { REPO_ROOT, tempFiles } from '../helpers';

type Json = Record<string, unknown>;

const FIXTURES = path.join(REPO_ROOT, 'examples/flow-service');
const fixture = (name: string): string => path.join(FIXTURES, name);

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
}

function item(file: string): Json {
  return (readJson(fixture(file)).items as Json[])[0] as Json;
}

const FLOW = item('flow.json');
const FLOW_ID = FLOW.id as string;
const ETAG = FLOW.etag as string;
const TC = item('target-connection.json');
const TC_ID = TC.id as string;
const AUDIENCES = readJson(fixture('audiences.json')).children as Json[];
const ORG_ID = '1A2B3C4D5E6F7G8H9I0J@AdobeOrg';
const WRONG_SECRET = 'wrong-secret-Zr8Kq3Lm5Np';
const FLOWS_PATH = `/data/foundation/flowservice/flows/${FLOW_ID}`;

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

function header(req: RecordedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function filesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(file) : [file];
  });
}

interface Harness {
  fake: FakePlatform;
  cwd: string;
  /** The AEP_* variables for the fake. */
  env: Record<string, string>;
  run: (env: Record<string, string | undefined>, ...argv: string[]) => Promise<CliRun>;
}

/**
 * A fake Platform holding flow.json, its target connection and the audiences, and a directory
 * to run in. After the body, nothing the CLI printed or wrote may hold the client secret (the
 * right or a wrong one) or any access token the fake issued.
 */
async function scenario(
  options: FakePlatformOptions,
  body: (h: Harness) => Promise<void>,
  files: Record<string, string> = {},
): Promise<void> {
  const fake = await startFakePlatform({
    flows: [FLOW],
    targetConnections: [TC],
    audiences: AUDIENCES,
    ...options,
  });
  const cwd = tempFiles(files);
  const outputs: string[] = [];
  const env = {
    AEP_CLIENT_ID: FAKE_CLIENT_ID,
    AEP_CLIENT_SECRET: FAKE_CLIENT_SECRET,
    AEP_ORG_ID: ORG_ID,
    AEP_SANDBOX_NAME: 'prod',
    AEP_IMS_URL: fake.url,
    AEP_PLATFORM_URL: fake.url,
  };
  const run = async (
    runEnv: Record<string, string | undefined>,
    ...argv: string[]
  ): Promise<CliRun> => {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      cwd,
      env: runEnv,
    });
    outputs.push(stdout, stderr);
    assert.ok(!STACK_FRAME.test(stderr), `stack trace on stderr:\n${stderr}`);
    return { code, stdout, stderr };
  };
  try {
    await body({ fake, cwd, env, run });
    const tokens = fake.requests
      .map((req) => /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1])
      .filter((token): token is string => token !== undefined);
    const written = filesBelow(cwd).map((file) => fs.readFileSync(file, 'utf8'));
    for (const text of [...outputs, ...written]) {
      for (const secret of [FAKE_CLIENT_SECRET, WRONG_SECRET, ...tokens]) {
        assert.ok(!text.includes(secret), `a secret or token leaked into:\n${text}`);
      }
      assert.doesNotMatch(text, /fake-token-/, 'an access token leaked');
    }
  } finally {
    await fake.close();
  }
}

/** What `import` makes of the saved fixtures: what pull must make of the same answers. */
async function importedFromFiles(): Promise<CliRun> {
  const r = await runCli(
    tempFiles(),
    'import',
    fixture('flow.json'),
    '--target-connection',
    fixture('target-connection.json'),
    '--audiences',
    fixture('audiences.json'),
  );
  assert.equal(r.code, 0, r.stderr);
  return r;
}

/** The imported config renamed, an audience and a mapping dropped, one of each added. */
function editedConfig(config: Json): Json {
  return {
    ...config,
    name: 'Winback known leads (EMEA)',
    audiences: [
      ...(config.audiences as Json[]).slice(0, 1),
      ...(config.audiences as Json[]).slice(2),
      { id: '0c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5', name: 'Trial sign-ups' },
    ],
    mappings: [
      ...(config.mappings as Json[]).filter((m) => m.target !== 'company'),
      { source: 'mobilePhone.number', target: 'mobilePhone' },
    ],
  };
}

async function configFiles(): Promise<Record<string, string>> {
  const config = JSON.parse((await importedFromFiles()).stdout) as Json;
  return {
    'dest.json': JSON.stringify(config, null, 2),
    'edited.json': JSON.stringify(editedConfig(config), null, 2),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('aep-dest pull', () => {
  test('writes the config import makes of the same answers; the requests carry the headers', async () => {
    const expected = await importedFromFiles();
    await scenario({}, async ({ fake, cwd, env, run }) => {
      const r = await run(env, 'pull', '--flow-id', FLOW_ID, '--out', 'dest.json');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(fs.readFileSync(path.join(cwd, 'dest.json'), 'utf8'), expected.stdout);
      assert.equal(r.stderr, expected.stderr);

      const [tokenRequest, ...platform] = fake.requests;
      assert.ok(tokenRequest);
      assert.equal(tokenRequest.method, 'POST');
      assert.equal(tokenRequest.path, '/ims/token/v3');
      assert.match(
        header(tokenRequest, 'content-type') ?? '',
        /^application\/x-www-form-urlencoded/,
      );
      const form = new URLSearchParams(tokenRequest.body);
      assert.equal(form.get('grant_type'), 'client_credentials');
      assert.equal(form.get('client_id'), FAKE_CLIENT_ID);
      assert.equal(form.get('client_secret'), FAKE_CLIENT_SECRET);
      assert.ok(form.get('scope'), 'a scope is sent');

      assert.deepEqual(
        platform.map((req) => `${req.method} ${req.path}`).sort(),
        [
          `GET ${FLOWS_PATH}`,
          `GET /data/foundation/flowservice/targetConnections/${TC_ID}`,
          ...AUDIENCES.slice(0, 3).map((a) => `GET /data/core/ups/audiences/${a.id as string}`),
        ].sort(),
      );
      for (const req of platform) {
        assert.match(header(req, 'authorization') ?? '', /^Bearer fake-token-/);
        assert.equal(header(req, 'x-api-key'), FAKE_CLIENT_ID);
        assert.equal(header(req, 'x-gw-ims-org-id'), ORG_ID);
        assert.equal(header(req, 'x-sandbox-name'), 'prod');
      }
    });
  });

  test('without --out the config goes to stdout', async () => {
    const expected = await importedFromFiles();
    await scenario({}, async ({ env, run }) => {
      const r = await run(env, 'pull', '--flow-id', FLOW_ID);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, expected.stdout);
    });
  });

  test('--verbose: one line per request (method, URL, status), never a header or a body', async () => {
    await scenario({}, async ({ fake, env, run }) => {
      const r = await run(env, 'pull', '--flow-id', FLOW_ID, '--verbose');
      assert.equal(r.code, 0, r.stderr);
      const log = lines(r.stderr).filter((line) => line.includes(fake.url));
      assert.equal(log.length, fake.requests.length);
      assert.match(
        log[0] ?? '',
        /^aep-dest: POST http:\/\/127\.0\.0\.1:\d+\/ims\/token\/v3 200 \d+ ms$/,
      );
      assert.ok(log.some((line) => line.startsWith(`aep-dest: GET ${fake.url}${FLOWS_PATH} 200 `)));
      assert.doesNotMatch(r.stderr, /Bearer|x-api-key|client_secret|access_token/);
    });
  });

  test('an audience the flow selects but the sandbox no longer has: a warning line', async () => {
    const gone = AUDIENCES[2]?.id as string;
    await scenario({ audiences: AUDIENCES.filter((a) => a.id !== gone) }, async ({ env, run }) => {
      const r = await run(env, 'pull', '--flow-id', FLOW_ID);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(
        lines(r.stderr).includes(
          `aep-dest: warning: audience ${gone} is selected by the flow but not found in sandbox 'prod' (GET /data/core/ups/audiences/${gone} answered 404): it may have been deleted`,
        ),
        r.stderr,
      );
      const audiences = (JSON.parse(r.stdout) as Json).audiences as Json[];
      assert.deepEqual(audiences[2], { id: gone, name: 'Webinar attendees (CRM upload)' });
    });
  });

  test('an existing --out is refused before anything is sent', async () => {
    await scenario(
      {},
      async ({ fake, cwd, env, run }) => {
        const r = await run(env, 'pull', '--flow-id', FLOW_ID, '--out', 'dest.json');
        assert.equal(r.code, 2);
        assert.equal(r.stderr, 'aep-dest: dest.json exists: give --force to overwrite it\n');
        assert.equal(fs.readFileSync(path.join(cwd, 'dest.json'), 'utf8'), 'mine\n');
        assert.equal(fake.requests.length, 0);
      },
      { 'dest.json': 'mine\n' },
    );
  });

  test('--help: where credentials come from, and that the secret is never printed', async () => {
    for (const command of ['pull', 'apply']) {
      const r = await runCli(tempFiles(), command, '--help');
      assert.equal(r.code, 0);
      assert.match(r.stdout, /AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ORG_ID/);
      assert.match(r.stdout, /AEP_SANDBOX_NAME/);
      assert.match(r.stdout, /The secret and the access token are never printed/);
      assert.match(r.stdout, /Exit codes:/);
    }
  });

  test('usage: --flow-id is required', async () => {
    const r = await runCli(tempFiles(), 'pull');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^aep-dest: no --flow-id given$/m);
  });
});

describe('aep-dest apply', () => {
  test('without --yes: the plan, and no PATCH sent', async () => {
    await scenario(
      {},
      async ({ fake, env, run }) => {
        const r = await run(env, 'apply', 'edited.json', '--flow-id', FLOW_ID);
        assert.equal(r.code, 0, r.stderr);
        assert.match(
          r.stdout,
          /^Plan for flow "Winback known leads" \(226fb2e1-[^)]+\), If-Match "8b0351ca-/,
        );
        assert.match(
          r.stdout,
          /^ {2}~ name: "Winback known leads" → "Winback known leads \(EMEA\)"$/m,
        );
        assert.match(
          r.stdout,
          /^ {2}- mapping b2b\.companyName → company \(profile selector 3\)$/m,
        );
        assert.equal(
          r.stderr,
          'aep-dest: nothing sent; run again with --yes to apply these 5 operations\n',
        );
        assert.deepEqual(
          fake.requests.map((req) => req.method),
          ['POST', 'GET', 'GET'],
        );
        assert.equal(fake.flow(FLOW_ID)?.etag, ETAG);
      },
      await configFiles(),
    );
  });

  test('--yes: one PATCH with If-Match, and the patched flow imports as the config', async () => {
    const files = await configFiles();
    const wanted = JSON.parse(files['edited.json'] as string) as Json;
    await scenario(
      {},
      async ({ fake, cwd, env, run }) => {
        const r = await run(env, 'apply', 'edited.json', '--flow-id', FLOW_ID, '--yes');
        assert.equal(r.code, 0, r.stderr);
        const patches = fake.requests.filter((req) => req.method === 'PATCH');
        assert.equal(patches.length, 1);
        const patch = patches[0] as RecordedRequest;
        assert.equal(patch.path, FLOWS_PATH);
        assert.equal(header(patch, 'if-match'), ETAG);
        assert.match(header(patch, 'content-type') ?? '', /^application\/json/);
        const newEtag = fake.flow(FLOW_ID)?.etag as string;
        assert.notEqual(newEtag, ETAG);
        assert.ok(
          r.stdout.endsWith(`\napplied 5 operations to flow ${FLOW_ID}; new etag ${newEtag}\n`),
          r.stdout,
        );
        assert.equal(r.stderr, '');

        fs.writeFileSync(path.join(cwd, 'now.json'), JSON.stringify(fake.flow(FLOW_ID)));
        const back = await run(
          env,
          'import',
          'now.json',
          '--target-connection',
          fixture('target-connection.json'),
          '--audiences',
          fixture('audiences.json'),
        );
        assert.equal(back.code, 0, back.stderr);
        const reimported = JSON.parse(back.stdout) as Json;
        assert.equal(reimported.name, wanted.name);
        assert.deepEqual(reimported.mappings, wanted.mappings);
        assert.deepEqual(reimported.audiences, wanted.audiences);

        // Applied once, there is nothing left to apply, and nothing is sent.
        const again = await run(env, 'apply', 'edited.json', '--flow-id', FLOW_ID, '--yes');
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stdout, /^No changes: /);
        assert.equal(
          again.stderr,
          `aep-dest: nothing to apply: flow ${FLOW_ID} already matches the config\n`,
        );
        assert.equal(fake.requests.filter((req) => req.method === 'PATCH').length, 1);
      },
      files,
    );
  });

  test('an unchanged config with --yes: nothing to apply, no PATCH', async () => {
    await scenario(
      {},
      async ({ fake, env, run }) => {
        const r = await run(env, 'apply', 'dest.json', '--flow-id', FLOW_ID, '--yes');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^No changes: flow "Winback known leads"/);
        assert.equal(
          r.stderr,
          `aep-dest: nothing to apply: flow ${FLOW_ID} already matches the config\n`,
        );
        assert.ok(fake.requests.every((req) => req.method !== 'PATCH'));
      },
      await configFiles(),
    );
  });

  test('--format json: stdout is the plan JSON only; the outcome goes to stderr', async () => {
    await scenario(
      {},
      async ({ fake, env, run }) => {
        const r = await run(
          env,
          'apply',
          'edited.json',
          '--flow-id',
          FLOW_ID,
          '-f',
          'json',
          '--yes',
        );
        assert.equal(r.code, 0, r.stderr);
        const plan = JSON.parse(r.stdout) as { ifMatch: string; patch: unknown[] };
        assert.equal(plan.ifMatch, ETAG);
        assert.equal(plan.patch.length, 5);
        assert.equal(
          r.stderr,
          `aep-dest: applied 5 operations to flow ${FLOW_ID}; new etag ${fake.flow(FLOW_ID)?.etag as string}\n`,
        );
      },
      await configFiles(),
    );
  });

  test('412: the flow changed between the GET and the PATCH: exit 1, nothing applied', async () => {
    // The GET answers the flow with the etag it had before someone else changed it.
    const stale = '"00000000-0000-0200-0000-000000000000"';
    await scenario(
      {
        respond: (req) =>
          req.method === 'GET' && req.path === FLOWS_PATH
            ? { status: 200, body: { items: [{ ...FLOW, etag: stale }] } }
            : undefined,
      },
      async ({ fake, env, run }) => {
        const r = await run(env, 'apply', 'edited.json', '--flow-id', FLOW_ID, '--yes');
        assert.equal(r.code, 1);
        assert.match(r.stdout, /^Plan for flow /);
        const patch = fake.requests.find((req) => req.method === 'PATCH');
        assert.equal(patch && header(patch, 'if-match'), stale);
        assert.match(
          r.stderr,
          /^aep-dest: the flow changed since it was read \(412 Precondition Failed at PATCH http:\/\/127\.0\.0\.1:\d+\/data\/foundation\/flowservice\/flows\/[\w-]+\): run apply again to plan against the current flow; nothing was applied\n$/,
        );
        assert.doesNotMatch(r.stdout, /^applied /m);
        assert.equal(fake.flow(FLOW_ID)?.etag, ETAG);
        assert.equal(fake.flow(FLOW_ID)?.name, FLOW.name);
      },
      await configFiles(),
    );
  });

  test('a config with errors is refused before anything is sent', async () => {
    await scenario(
      {},
      async ({ fake, env, run }) => {
        const r = await run(env, 'apply', 'bad.json', '--flow-id', FLOW_ID, '--yes');
        assert.equal(r.code, 1);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /^aep-dest: bad\.json has errors: fix them before applying$/m);
        assert.equal(fake.requests.length, 0);
      },
      { 'bad.json': '{ "connector": "marketo-engage", "mappings": 3 }\n' },
    );
  });
});

/** Each Platform failure, for pull and for apply --yes: one `aep-dest:` line, exit 2, no config written. */
describe('aep-dest pull and apply: Experience Platform failures', () => {
  const commands = [
    ['pull', '--flow-id', FLOW_ID, '--out', 'pulled.json'],
    ['apply', 'edited.json', '--flow-id', FLOW_ID, '--yes'],
  ];
  const onFlowGet =
    (answer: FakeResponse | 'hang') =>
    (req: RecordedRequest): FakeResponse | 'hang' | undefined =>
      req.method === 'GET' && req.path === FLOWS_PATH ? answer : undefined;

  const cases: {
    name: string;
    options?: FakePlatformOptions;
    env?: (env: Record<string, string>) => Record<string, string | undefined>;
    flowId?: string;
    message: RegExp;
    requests?: number;
  }[] = [
    {
      name: 'wrong secret (IMS refuses the credentials)',
      env: (env) => ({ ...env, AEP_CLIENT_SECRET: WRONG_SECRET }),
      message:
        /^aep-dest: Adobe IMS refused the credentials \(400 Bad Request at POST http:\/\/127\.0\.0\.1:\d+\/ims\/token\/v3: invalid_client: [^)]*\): check AEP_CLIENT_ID and AEP_CLIENT_SECRET\n$/,
    },
    {
      name: '401 from Experience Platform',
      options: {
        respond: onFlowGet({
          status: 401,
          body: { error_code: '401013', message: 'Oauth token is not valid' },
        }),
      },
      message:
        /^aep-dest: Experience Platform refused the token \(401 Unauthorized at GET http:\/\/127\.0\.0\.1:\d+\/data\/foundation\/flowservice\/flows\/[\w-]+: 401013: Oauth token is not valid\): check that AEP_ORG_ID/,
    },
    {
      name: '403',
      options: {
        respond: onFlowGet({
          status: 403,
          body: { error_code: '403027', message: 'User region is missing' },
        }),
      },
      message:
        /^aep-dest: forbidden \(403 Forbidden at GET .*: 403027: User region is missing\): the credential's product profile lacks access to sandbox 'prod'/,
    },
    {
      name: '404 (no such flow)',
      flowId: 'no-such-flow',
      message:
        /^aep-dest: no flow 'no-such-flow' in sandbox 'prod' \(404 Not Found at GET http:\/\/127\.0\.0\.1:\d+\/data\/foundation\/flowservice\/flows\/no-such-flow: /,
    },
    {
      name: '429 with Retry-After',
      options: {
        respond: onFlowGet({
          status: 429,
          headers: { 'Retry-After': '17' },
          body: { error_code: '429050', message: 'Too many requests' },
        }),
      },
      message: /^aep-dest: rate limited \(429 Too Many Requests at GET .*\): retry after 17 s\n$/,
    },
    {
      name: 'timeout',
      options: { respond: onFlowGet('hang') },
      env: (env) => ({ ...env, AEP_HTTP_TIMEOUT_SECONDS: '0.2' }),
      message:
        /^aep-dest: no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.2 s \(GET http:\/\/127\.0\.0\.1:\d+\/data\/foundation\/flowservice\/flows\/[\w-]+\)\n$/,
    },
    {
      name: 'http:// to a host that is not loopback',
      env: (env) => ({ ...env, AEP_PLATFORM_URL: 'http://example.com' }),
      message:
        /^aep-dest: AEP_PLATFORM_URL 'http:\/\/example\.com' is not HTTPS: only loopback addresses may use http\n$/,
      requests: 0,
    },
    {
      name: 'missing environment variables',
      env: (env) => ({ AEP_CLIENT_ID: env.AEP_CLIENT_ID, AEP_CLIENT_SECRET: '  ' }),
      message:
        /^aep-dest: missing environment variables AEP_CLIENT_SECRET, AEP_ORG_ID, AEP_SANDBOX_NAME: set them /,
      requests: 0,
    },
    {
      name: 'a bad AEP_HTTP_TIMEOUT_SECONDS',
      env: (env) => ({ ...env, AEP_HTTP_TIMEOUT_SECONDS: 'soon' }),
      message: /^aep-dest: AEP_HTTP_TIMEOUT_SECONDS 'soon' is not a number of seconds/,
      requests: 0,
    },
  ];

  for (const item of cases) {
    for (const command of commands) {
      test(`${command[0] as string}: ${item.name}`, async () => {
        const files = await configFiles();
        await scenario(
          item.options ?? {},
          async ({ fake, cwd, env, run }) => {
            const argv = command.map((arg) => (arg === FLOW_ID ? (item.flowId ?? FLOW_ID) : arg));
            const r = await run(item.env ? item.env(env) : env, ...argv);
            assert.equal(r.code, 2, r.stderr);
            assert.match(r.stderr, item.message);
            assert.equal(lines(r.stderr).length, 1, r.stderr);
            assert.equal(r.stdout, '');
            assert.equal(fs.existsSync(path.join(cwd, 'pulled.json')), false);
            assert.ok(fake.requests.every((req) => req.method !== 'PATCH'));
            if (item.requests !== undefined) assert.equal(fake.requests.length, item.requests);
          },
          files,
        );
      });
    }
  }

  test('unreachable (a closed port): pull and apply', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    await scenario(
      {},
      async ({ env, run }) => {
        for (const argv of commands) {
          const r = await run({ ...env, AEP_IMS_URL: url, AEP_PLATFORM_URL: url }, ...argv);
          assert.equal(r.code, 2, r.stderr);
          assert.match(
            r.stderr,
            /^aep-dest: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\) at POST http:\/\/127\.0\.0\.1:\d+\/ims\/token\/v3: check the Adobe IMS URL and the network\n$/,
          );
          assert.equal(r.stdout, '');
        }
      },
      await configFiles(),
    );
  });
});
