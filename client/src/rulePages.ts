import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { RULE_PAGE_SCHEME, rulePageFile, rulePageLinkPath } from './rulePageLink';

/**
 * Serves docs/rules/*.md of the installed extension under `RULE_PAGE_SCHEME`. A content
 * provider's documents are read-only, and package.json's `workbench.editorAssociations`
 * default opens them in the Markdown preview; without the Markdown extension they still
 * open, as read-only text.
 */
export function registerRulePages(extensionUri: vscode.Uri): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const name = rulePageFile(uri.path);
      if (!name) throw new Error(`${uri.toString()} is not a rule page`);
      const file = vscode.Uri.joinPath(extensionUri, 'docs', 'rules', name);
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    },
  };
  return vscode.workspace.registerTextDocumentContentProvider(RULE_PAGE_SCHEME, provider);
}

/**
 * Points each diagnostic's rule link at the rendered page. The hover and the peek open a
 * link without allowing `command:` URIs (only the Problems panel allows them), so the link
 * must be a document URI that every one of them opens the same way.
 */
export const ruleLinkMiddleware: Middleware = {
  handleDiagnostics(uri, diagnostics, next) {
    for (const diagnostic of diagnostics) {
      const code = diagnostic.code;
      if (typeof code !== 'object') continue;
      const path = rulePageLinkPath(code.target, String(code.value));
      if (path) {
        diagnostic.code = {
          value: code.value,
          target: vscode.Uri.from({ scheme: RULE_PAGE_SCHEME, path }),
        };
      }
    }
    next(uri, diagnostics);
  },
};
