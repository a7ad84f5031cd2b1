import * as path from 'node:path';
import * as vscode from 'vscode';

export interface RememberedInputs {
  profiles?: string;
  leads?: string;
}

const KEY = 'aepDestination.simulationInputs';

/** The sample files chosen for each config, kept in the workspace state. */
export class SimulationInputsMemory {
  constructor(private readonly state: vscode.Memento) {}

  get(config: vscode.Uri): RememberedInputs {
    return this.all()[config.toString()] ?? {};
  }

  async set(config: vscode.Uri, inputs: RememberedInputs): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [config.toString()]: inputs });
  }

  async forget(config: vscode.Uri): Promise<void> {
    const all = this.all();
    delete all[config.toString()];
    await this.state.update(KEY, all);
  }

  private all(): Record<string, RememberedInputs> {
    return { ...(this.state.get<Record<string, RememberedInputs>>(KEY) ?? {}) };
  }
}

const SAMPLE_GLOB = '**/*.{csv,json,ndjson,jsonl}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**,**/*.destination.json,**/dist/**}';

/** Asks for one sample file with a quick pick of the workspace's data files (or a file dialog). */
export async function pickSampleFile(
  kind: 'profiles' | 'leads',
  config: vscode.Uri,
): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles(SAMPLE_GLOB, EXCLUDE_GLOB, 500);
  const configDir = path.dirname(config.fsPath);
  const browse = {
    label: '$(folder-opened) Browse…',
    description: 'choose a file outside this list',
    uri: undefined,
  };
  const items = files
    .map((uri) => ({
      label: path.basename(uri.fsPath),
      description: vscode.workspace.asRelativePath(uri),
      uri,
    }))
    .sort(
      (a, b) =>
        rank(a.uri, kind, configDir) - rank(b.uri, kind, configDir) ||
        a.description.localeCompare(b.description),
    );
  const title =
    kind === 'profiles' ? 'Sample profiles (the audience members)' : 'Existing Marketo leads';
  const picked = await vscode.window.showQuickPick([...items, browse], {
    title: `Simulate Export: ${title}`,
    placeHolder:
      kind === 'profiles'
        ? 'JSON array, NDJSON or CSV of XDM profiles'
        : 'JSON, NDJSON or CSV of Marketo leads (REST field names)',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri.fsPath;
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: vscode.Uri.file(configDir),
    filters: { 'Sample data': ['csv', 'json', 'ndjson', 'jsonl'] },
    title: `Simulate Export: ${title}`,
  });
  return chosen?.[0]?.fsPath;
}

/** Files whose name says what they hold, and files near the config, come first. */
function rank(uri: vscode.Uri, kind: 'profiles' | 'leads', configDir: string): number {
  const name = path.basename(uri.fsPath).toLowerCase();
  const named = name.includes(kind === 'profiles' ? 'profile' : 'lead') ? 0 : 2;
  const near = uri.fsPath.startsWith(configDir) ? 0 : 1;
  return named + near;
}
