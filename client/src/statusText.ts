import * as l10n from '@vscode/l10n';
import type { DocumentStatus } from '../../common/protocol';

/**
 * What the language status item says about one document. Free of the `vscode` module so
 * unit tests can load it.
 */
export interface StatusView {
  /** The row's label: the counts, so errors and warnings read alike. */
  text: string;
  /** Connector and destination name, cut to fit the status hover. */
  detail: string;
  severity: 'error' | 'warning' | 'information';
  /** For screen readers: the whole sentence, uncut. */
  accessibilityLabel: string;
}

/** Longest detail shown; a longer destination name is cut with "…" (the hover grows with it). */
export const MAX_DETAIL_LENGTH = 48;

export function describeStatus(status: DocumentStatus): StatusView {
  const errors = status.errors === 1 ? l10n.t('1 error') : l10n.t('{0} errors', status.errors);
  const warnings =
    status.warnings === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', status.warnings);
  const severity = status.errors ? 'error' : status.warnings ? 'warning' : 'information';
  const icon =
    severity === 'error' ? '$(error)' : severity === 'warning' ? '$(warning)' : '$(check)';
  const connector = connectorLabel(status.connector);
  const name = oneLine(status.name) || l10n.t('unnamed destination');
  return {
    text: `${icon} ${errors}, ${warnings}`,
    detail: escapeIcons(fit(`${connector} · ${name}`, MAX_DETAIL_LENGTH)),
    severity,
    accessibilityLabel: l10n.t('{0} destination {1}: {2}, {3}', connector, name, errors, warnings),
  };
}

function connectorLabel(connector: string | undefined): string {
  if (connector === 'marketo-engage') return 'Marketo Engage';
  return fit(oneLine(connector) || l10n.t('no connector'), 24);
}

/** A name may hold newlines or runs of spaces; the status row is one line. */
function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function fit(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** `$(name)` in user text would render as an icon; a backslash keeps it literal. */
function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
