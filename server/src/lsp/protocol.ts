/**
 * Custom messages between the extension client and the language server, in
 * one file both sides import, so names and payloads cannot drift apart. Only
 * method names and payload types live here: the client and the server ship
 * different vscode-jsonrpc versions, whose message-type classes do not mix.
 */

export const LANGUAGE_ID = 'aep-destination';
export const SETTINGS_SECTION = 'aepDestination';

/** Settings read per resource (`aepDestination.*`). */
export interface DestinationSettings {
  /** Files above this size get one information diagnostic instead of the rules. */
  maxFileSizeMB: number;
  /** Rule codes that are not reported. */
  disabledRules: string[];
}

export const DEFAULT_SETTINGS: DestinationSettings = { maxFileSizeMB: 10, disabledRules: [] };

/** What the language status item shows for one document, sent after each validation. */
export interface DocumentStatus {
  uri: string;
  version: number;
  /** The `connector` value, or undefined when it is missing or not a string. */
  connector: string | undefined;
  /** The destination's `name`. */
  name: string | undefined;
  errors: number;
  warnings: number;
}

/** Server → client notification, payload `DocumentStatus`. */
export const DOCUMENT_STATUS_NOTIFICATION = 'aepDestination/documentStatus';
