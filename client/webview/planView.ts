/**
 * The browser script of the Flow Service plan panel: its buttons post a message to the
 * extension, which validates it. The page holds no data of its own and no inline handler.
 */
import type { PlanWebviewMessage } from '../src/flowService/planHtml';

interface VsCodeApi {
  postMessage(message: PlanWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

document.querySelectorAll<HTMLButtonElement>('button[data-action]').forEach((button) => {
  button.addEventListener('click', () => {
    const action = button.dataset.action;
    if (action === 'openPatch' || action === 'apply') vscode.postMessage({ type: action });
  });
});
