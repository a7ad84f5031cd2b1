// The TextMate grammar as VS Code itself tokenizes it. There is no public API for token scopes:
// `_workbench.captureSyntaxTokens` (the internal command VS Code's own colorizer tests use) is
// used when this VS Code has it (desktop builds); otherwise (code-server) the test checks the
// contributed grammar file's key rule instead and says so in its title.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, LANGUAGE_ID, activateExtension, exampleUri } from './helpers';

const CAPTURE_COMMAND = '_workbench.captureSyntaxTokens';
const KEY_SCOPE = 'keyword.other.destination-key.aep-destination';

/** One token as the capture command returns it: its text and its scopes (space separated). */
interface CapturedToken {
  c: string;
  t: string;
}

function isCapturedTokens(value: unknown): value is CapturedToken[] {
  return (
    Array.isArray(value) &&
    value.every(
      (token: unknown) =>
        typeof token === 'object' &&
        token !== null &&
        typeof (token as { c?: unknown }).c === 'string' &&
        typeof (token as { t?: unknown }).t === 'string',
    )
  );
}

interface GrammarContribution {
  language?: string;
  scopeName?: string;
  path?: string;
}

function grammarContributions(extension: vscode.Extension<unknown>): GrammarContribution[] {
  const manifest = extension.packageJSON as { contributes?: { grammars?: GrammarContribution[] } };
  return manifest.contributes?.grammars ?? [];
}

describe('Grammar', () => {
  let hasCapture = false;

  before(async () => {
    await activateExtension();
    hasCapture = (await vscode.commands.getCommands(false)).includes(CAPTURE_COMMAND);
  });

  it('contributes source.aep-destination for the aep-destination language', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const grammar = grammarContributions(extension).find((g) => g.language === LANGUAGE_ID);
    assert.ok(grammar, 'a grammar contribution for aep-destination');
    assert.equal(grammar.scopeName, 'source.aep-destination');
    assert.ok(grammar.path, 'the grammar has a path');
    const file = vscode.Uri.joinPath(extension.extensionUri, grammar.path);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    const parsed = JSON.parse(text) as { scopeName?: unknown };
    assert.equal(parsed.scopeName, 'source.aep-destination');
  });

  it('scopes a destination key such as "dedupeField" as keyword.other.destination-key', async function () {
    if (!hasCapture) {
      // Said in the output, and the grammar file is checked instead; the UI checks of the
      // code-server runner read the scopes from "Inspect Editor Tokens and Scopes".
      this.test!.title += ` (${CAPTURE_COMMAND} is not in this VS Code: checked the grammar file)`;
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension);
      const contribution = grammarContributions(extension).find((g) => g.language === LANGUAGE_ID);
      assert.ok(contribution?.path);
      const file = vscode.Uri.joinPath(extension.extensionUri, contribution.path);
      const grammar = JSON.parse(
        new TextDecoder().decode(await vscode.workspace.fs.readFile(file)),
      ) as { repository?: { objectkey?: { patterns?: { match?: string; name?: string }[] } } };
      const keyRule = grammar.repository?.objectkey?.patterns?.find((p) =>
        p.name?.split(' ').includes(KEY_SCOPE),
      );
      assert.ok(keyRule?.match, `an objectkey rule named ${KEY_SCOPE}`);
      const keyPattern = new RegExp(`^(?:${keyRule.match})$`);
      assert.ok(keyPattern.test('"dedupeField"'), 'the key rule matches "dedupeField"');
      assert.ok(!keyPattern.test('"$schema"'), 'the key rule does not match "$schema"');
      return;
    }
    const uri = exampleUri('winback.destination.json');
    const tokens: unknown = await vscode.commands.executeCommand(CAPTURE_COMMAND, uri);
    assert.ok(isCapturedTokens(tokens), `tokens: ${JSON.stringify(tokens).slice(0, 300)}`);
    const scopesOf = (text: string): string[] =>
      tokens.filter((token) => token.c === text).map((token) => token.t);
    const dedupe = scopesOf('dedupeField');
    assert.ok(dedupe.length > 0, 'a dedupeField token');
    for (const scopes of dedupe) assert.ok(scopes.split(' ').includes(KEY_SCOPE), scopes);
    // A key the format does not define is an ordinary JSON property name.
    const schema = scopesOf('$schema');
    assert.ok(schema.length > 0, 'a $schema token');
    for (const scopes of schema) {
      assert.ok(scopes.includes('support.type.property-name.json'), scopes);
      assert.ok(!scopes.split(' ').includes(KEY_SCOPE), scopes);
    }
  });
});
