/**
 * Restricted Mode (VS Code's workspace trust). In an untrusted workspace the language server
 * reads no file a config names (it is told so in `initialize`), and the commands that would
 * read such files or send requests to Experience Platform refuse with one message that offers
 * to manage the workspace's trust. The menus hide them (`isWorkspaceTrusted`); the palette keeps
 * them, so running one says why it does nothing.
 */
import * as vscode from 'vscode';

/** Why a command is disabled in Restricted Mode. */
export type RestrictedReason = 'readsConfigFiles' | 'sendsRequests';

const MESSAGES: Record<RestrictedReason, (title: string) => string> = {
  readsConfigFiles: (title) =>
    vscode.l10n.t(
      '{0} is disabled in Restricted Mode: it reads files the config names. Trust the workspace to enable it.',
      title,
    ),
  sendsRequests: (title) =>
    vscode.l10n.t(
      '{0} is disabled in Restricted Mode: it sends requests to Experience Platform. Trust the workspace to enable it.',
      title,
    ),
};

/** What a command disabled in Restricted Mode answers (the integration suite checks it). */
export interface RestrictedOutcome {
  kind: 'restricted';
  message: string;
}

export function restrictedMessage(title: string, reason: RestrictedReason): string {
  return MESSAGES[reason](title);
}

/**
 * In a trusted workspace, undefined. Otherwise shows the message (not awaited: the command
 * answers at once) with a button that opens the workspace trust editor, and returns it.
 */
export function refuseIfRestricted(
  title: string,
  reason: RestrictedReason,
): RestrictedOutcome | undefined {
  if (vscode.workspace.isTrusted) return undefined;
  const message = restrictedMessage(title, reason);
  const manageTrust = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window.showWarningMessage(message, manageTrust).then(async (choice) => {
    if (choice === manageTrust) await vscode.commands.executeCommand('workbench.trust.manage');
  });
  return { kind: 'restricted', message };
}
