// The Flow Service commands: import, export, the plan panel and its JSON Patch, and Pull and
// Apply against a fake Experience Platform on 127.0.0.1 (test/fakePlatform.ts) with the
// credential in SecretStorage. Every command gets its inputs as arguments, so no dialog opens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FlowPlan, ImportReport } from '../../../common/flowServiceTypes';
import {
  FAKE_CLIENT_ID,
  FAKE_CLIENT_SECRET,
  type FakePlatform,
  type FakeResponse,
  startFakePlatform,
} from '../../fakePlatform';
import audiencesFixture from '../../../examples/flow-service/audiences.json';
import flowFixture from '../../../examples/flow-service/flow.json';
import targetConnectionFixture from '../../../examples/flow-service/target-connection.json';
import {
  LANGUAGE_ID,
  activateAndCloseEditors,
  discard,
  openInEditor,
  waitFor,
  waitForDiagnostics,
} from './helpers';

const FLOW = flowFixture.items[0] as unknown as Record<string, unknown> & {
  id: string;
  etag: string;
};
const FLOW_ID = FLOW.id;
const CREDENTIALS = {
  clientId: FAKE_CLIENT_ID,
  clientSecret: FAKE_CLIENT_SECRET,
  orgId: '1A2B3C4D5E6F7G8H9I0J@AdobeOrg',
  sandboxName: 'prod',
};

type Outcome = { kind: string } & Record<string, unknown>;
type Imported = { kind: 'imported'; uri: string; text: string; report: ImportReport };
type Planned = {
  kind: 'planned';
  plan: FlowPlan;
  text: string;
  panel: { title: string; viewColumn: number | undefined; canApply: boolean };
};

async function run(command: string, arg?: unknown): Promise<Outcome> {
  const outcome: unknown = await vscode.commands.executeCommand(`aepDestination.${command}`, arg);
  assert.ok(
    typeof outcome === 'object' && outcome !== null && 'kind' in outcome,
    `${command} answered ${JSON.stringify(outcome)}`,
  );
  return outcome as Outcome;
}

function expectKind<T extends Outcome>(outcome: Outcome, kind: string): T {
  assert.equal(outcome.kind, kind, JSON.stringify(outcome).slice(0, 600));
  return outcome as T;
}

/** A fresh folder holding the saved Flow Service answers. */
function savedAnswers(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aep-flow-'));
  fs.writeFileSync(path.join(dir, 'flow.json'), JSON.stringify(flowFixture, null, 2));
  fs.writeFileSync(
    path.join(dir, 'target-connection.json'),
    JSON.stringify(targetConnectionFixture, null, 2),
  );
  fs.writeFileSync(path.join(dir, 'audiences.json'), JSON.stringify(audiencesFixture, null, 2));
  return dir;
}

function documentOf(uri: string): vscode.TextDocument {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  assert.ok(document, `${uri} is not open`);
  return document;
}

/** Throws away every unsaved document a test left, so closing the editors asks nothing. */
async function discardUnsaved(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if ((document.isUntitled || document.isDirty) && !document.isClosed) await discard(document);
  }
}

/** Replaces the whole text of an open editor, unsaved. */
async function replaceText(editor: vscode.TextEditor, text: string): Promise<void> {
  const all = new vscode.Range(0, 0, editor.document.lineCount, 0);
  assert.ok(await editor.edit((b) => b.replace(all, text)));
}

function webviewTab(label: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === label);
}

/**
 * A saved config holding `text`, in `dir`. Its name is the suite's own: the UI checks that run
 * after the suite open the examples by name through Quick Open, which also lists recent files.
 */
function savedConfig(dir: string, text: string): vscode.Uri {
  const file = path.join(dir, `flow-suite-${path.basename(dir)}.destination.json`);
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

function renamed(text: string, name: string): string {
  const config = JSON.parse(text) as { name: string };
  config.name = name;
  return `${JSON.stringify(config, null, 2)}\n`;
}

describe('Flow Service', () => {
  activateAndCloseEditors();
  // The UI checks that follow the suite should not find this suite's notifications.
  after(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });
  afterEach(async () => {
    await discardUnsaved();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  let answers: string;
  let imported: Imported;
  before(async () => {
    answers = savedAnswers();
    imported = expectKind<Imported>(
      await run('importDataflow', {
        flow: vscode.Uri.file(path.join(answers, 'flow.json')),
        targetConnection: vscode.Uri.file(path.join(answers, 'target-connection.json')),
        audiences: vscode.Uri.file(path.join(answers, 'audiences.json')),
      }),
      'imported',
    );
    await discardUnsaved();
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'importDataflow',
      'exportFlowPayloads',
      'showFlowPlan',
      'pullDataflow',
      'applyToPlatform',
      'forgetPlatformCredentials',
      'openFlowPatch',
    ]) {
      assert.ok(commands.includes(`aepDestination.${id}`), id);
    }
  });

  it('imports a saved dataflow into an untitled aep-destination editor', async () => {
    const outcome = expectKind<Imported>(
      await run('importDataflow', {
        flow: path.join(answers, 'flow.json'),
        targetConnection: path.join(answers, 'target-connection.json'),
        audiences: path.join(answers, 'audiences.json'),
      }),
      'imported',
    );
    const document = documentOf(outcome.uri);
    assert.equal(document.uri.scheme, 'untitled');
    assert.equal(document.languageId, LANGUAGE_ID);
    assert.ok(document.isDirty, 'nothing is written until the user saves');
    assert.match(document.uri.path, /winback-known-leads(-\d+)?\.destination\.json$/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), outcome.uri);
    assert.equal(document.getText(), outcome.text);
    const config = JSON.parse(document.getText()) as Record<string, unknown>;
    assert.equal(config.name, 'Winback known leads');
    assert.equal(config.munchkinId, '123-ABC-456');
    assert.equal(config.syncType, 'audienceAndProfile');
    assert.equal((config.flowService as { flowId: string }).flowId, FLOW_ID);
    assert.equal(outcome.report.mapped.length, 6);
    assert.deepEqual(outcome.report.kept, ['alertsDestinationFlowRunFailure']);
    // The server validates it like any config: no error.
    await waitForDiagnostics(
      document.uri,
      (d) => !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error),
    );
  });

  it('refuses a file that is not JSON, naming it', async () => {
    const bad = path.join(answers, 'not-json.json');
    fs.writeFileSync(bad, '{ nope');
    const outcome: unknown = await vscode.commands.executeCommand('aepDestination.importDataflow', {
      flow: bad,
    });
    // The command table shows the message and answers nothing.
    assert.equal(outcome, undefined);
  });

  it('exports the open, unsaved config to target-connection.json and flow.json', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aep-export-'));
    const config = savedConfig(dir, imported.text);
    const editor = await openInEditor(config);
    await replaceText(editor, renamed(imported.text, 'Edited in the editor'));
    const out = path.join(dir, 'payloads');
    fs.mkdirSync(out);
    const outcome = expectKind(
      await run('exportFlowPayloads', { uri: config, folder: out }),
      'exported',
    );
    assert.deepEqual(outcome.placeholders, []);
    const flow = JSON.parse(fs.readFileSync(path.join(out, 'flow.json'), 'utf8')) as {
      name: string;
      targetConnectionIds: string[];
    };
    assert.equal(flow.name, 'Edited in the editor');
    assert.deepEqual(flow.targetConnectionIds, FLOW.targetConnectionIds);
    const tc = JSON.parse(fs.readFileSync(path.join(out, 'target-connection.json'), 'utf8')) as {
      params: Record<string, unknown>;
    };
    assert.equal(tc.params.munchkinId, '123-ABC-456');
    assert.deepEqual(fs.readdirSync(out).sort(), ['flow.json', 'target-connection.json']);
  });

  it('shows the plan beside the config, and opens its JSON Patch', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aep-plan-'));
    const config = savedConfig(dir, renamed(imported.text, 'Winback, renamed'));
    const editor = await openInEditor(config);
    const outcome = expectKind<Planned>(
      await run('showFlowPlan', { uri: config, flow: path.join(answers, 'flow.json') }),
      'planned',
    );
    const lines = outcome.text.split('\n');
    assert.ok(lines.includes('  ~ name: "Winback known leads" → "Winback, renamed"'), outcome.text);
    assert.equal(outcome.plan.ifMatch, FLOW.etag);
    assert.equal(outcome.panel.canApply, false, 'a saved flow cannot be applied from the panel');
    const tab = await waitFor(
      'the plan tab',
      () => webviewTab('Plan: Winback, renamed'),
      vscode.window.tabGroups.onDidChangeTabs,
    );
    assert.ok(
      (tab.group.viewColumn as number) > (editor.viewColumn as number),
      `the plan (column ${tab.group.viewColumn}) is beside the config (column ${editor.viewColumn})`,
    );

    const opened = expectKind(await run('openFlowPatch', { uri: config }), 'opened');
    const patch = documentOf(opened.uri as string);
    assert.equal(patch.uri.scheme, 'untitled');
    assert.equal(patch.languageId, 'json');
    assert.deepEqual(JSON.parse(patch.getText()), outcome.plan.patch);
    assert.deepEqual(outcome.plan.patch, [
      { op: 'replace', path: '/name', value: 'Winback, renamed' },
    ]);
  });

  it('refuses to plan a config with errors', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aep-plan-'));
    const config = savedConfig(dir, imported.text.replace('"123-ABC-456"', '"1"'));
    await openInEditor(config);
    const outcome = expectKind(
      await run('showFlowPlan', { uri: config, flow: path.join(answers, 'flow.json') }),
      'configErrors',
    );
    assert.deepEqual(
      (outcome.diagnostics as { code: string }[]).map((d) => d.code),
      ['invalid-munchkin-id'],
    );
  });

  describe('against Experience Platform', () => {
    let platform: FakePlatform;
    let conflict = false;
    const settings = () => vscode.workspace.getConfiguration('aepDestination.platform');

    before(async () => {
      platform = await startFakePlatform({
        flows: [FLOW],
        targetConnections: targetConnectionFixture.items as unknown as Record<string, unknown>[],
        audiences: audiencesFixture.children as unknown as Record<string, unknown>[],
        respond: (req): FakeResponse | undefined =>
          conflict && req.method === 'PATCH'
            ? { status: 412, body: { title: 'Precondition Failed', status: 412 } }
            : undefined,
      });
      const global = vscode.ConfigurationTarget.Global;
      await settings().update('imsUrl', platform.url, global);
      await settings().update('platformUrl', platform.url, global);
      await run('forgetPlatformCredentials');
    });
    after(async () => {
      await run('forgetPlatformCredentials');
      const global = vscode.ConfigurationTarget.Global;
      await settings().update('imsUrl', undefined, global);
      await settings().update('platformUrl', undefined, global);
      await platform.close();
    });

    it('pulls a dataflow, keeps the credential in SecretStorage only, and forgets it', async () => {
      const outcome = expectKind<Imported>(
        await run('pullDataflow', { flowId: FLOW_ID, credentials: CREDENTIALS }),
        'imported',
      );
      const document = documentOf(outcome.uri);
      assert.equal(document.uri.scheme, 'untitled');
      assert.equal(document.languageId, LANGUAGE_ID);
      const config = JSON.parse(document.getText()) as { name: string; audiences: unknown[] };
      assert.equal(config.name, 'Winback known leads');
      assert.equal(config.audiences.length, 3);
      const sent = platform.requests.map(
        (r) => `${r.method} ${r.path.split('/').slice(-2).join('/')}`,
      );
      assert.deepEqual(sent.slice(0, 3), [
        'POST token/v3',
        `GET flows/${FLOW_ID}`,
        'GET targetConnections/8ce3dc63-3766-4220-9f61-51d2f8f14618',
      ]);
      // One GET per audience the flow selects, four at a time (in any order).
      assert.equal(sent.length, 6, sent.join(', '));
      assert.ok(
        sent.slice(3).every((line) => line.startsWith('GET audiences/')),
        sent.join(', '),
      );

      // Stored: the next Pull asks nothing.
      const again = await run('pullDataflow', { flowId: FLOW_ID, interactive: false });
      expectKind(again, 'imported');
      // Never in the settings.
      const inSettings = JSON.stringify(vscode.workspace.getConfiguration('aepDestination'));
      assert.ok(!inSettings.includes(FAKE_CLIENT_SECRET), 'the secret is not in the settings');

      expectKind(await run('forgetPlatformCredentials'), 'forgotten');
      assert.deepEqual(await run('pullDataflow', { flowId: FLOW_ID, interactive: false }), {
        kind: 'missing',
        what: 'credentials',
      });
    });

    it('applies the plan with If-Match only once confirmed; a 412 says the flow changed', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aep-apply-'));
      const config = savedConfig(dir, renamed(imported.text, 'Winback, applied'));
      const editor = await openInEditor(config);
      const patches = () => platform.requests.filter((r) => r.method === 'PATCH');

      const declined = expectKind<{ kind: 'declined'; plan: FlowPlan } & Outcome>(
        await run('applyToPlatform', { uri: config, credentials: CREDENTIALS, confirm: false }),
        'declined',
      );
      assert.deepEqual(declined.plan.patch, [
        { op: 'replace', path: '/name', value: 'Winback, applied' },
      ]);
      assert.equal(patches().length, 0, 'nothing is sent without confirmation');
      // The plan is shown beside the config, with Apply….
      await waitFor(
        'the plan tab',
        () => webviewTab('Plan: Winback, applied'),
        vscode.window.tabGroups.onDidChangeTabs,
      );

      const applied = expectKind(
        await run('applyToPlatform', { uri: config, confirm: true, interactive: false }),
        'applied',
      );
      assert.equal(patches().length, 1);
      const [patch] = patches();
      assert.equal(patch?.headers['if-match'], FLOW.etag);
      assert.deepEqual(JSON.parse(patch?.body ?? ''), declined.plan.patch);
      assert.equal(platform.flow(FLOW_ID)?.name, 'Winback, applied');
      assert.equal(applied.etag, platform.flow(FLOW_ID)?.etag);

      // Someone changed the flow between the read and the PATCH.
      await replaceText(editor, renamed(imported.text, 'Winback, too late'));
      conflict = true;
      try {
        const failed = expectKind(
          await run('applyToPlatform', { uri: config, confirm: true, interactive: false }),
          'error',
        );
        assert.equal(failed.status, 412);
        assert.match(failed.message as string, /flow changed since it was read/);
      } finally {
        conflict = false;
      }
      assert.equal(platform.flow(FLOW_ID)?.name, 'Winback, applied');
    });
  });
});
