/**
 * "Validate, then export or plan", once for the language server and the CLI: a config with
 * errors is refused (Experience Platform would refuse its dataflow too), and the JSON handed to
 * the Flow Service code is the one the editor validated, unsaved changes included.
 */
import type { Finding, TextDocumentLike } from './engine/types';
import type { DestinationLanguageService, DocumentSettings } from './languageService';

export type PreparedFlowConfig =
  /** The config has errors (those the user sees: disabled rules do not block). */
  { kind: 'configErrors'; errors: Finding[] } | { kind: 'ready'; json: unknown };

export function prepareFlowConfig(
  service: DestinationLanguageService,
  textDocument: TextDocumentLike,
  settings: DocumentSettings = {},
): PreparedFlowConfig {
  const errors = service.validate(textDocument, settings).filter((f) => f.severity === 'error');
  if (errors.length) return { kind: 'configErrors', errors };
  // With a shared mappings file's array in place of its path.
  return { kind: 'ready', json: service.parse(textDocument, settings).resolvedValue };
}
