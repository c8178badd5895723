// The ONLY module that imports @vscode/webview-ui-toolkit. Upstream archived the toolkit in January
// 2025 (microsoft/vscode-webview-ui-toolkit#561); keeping it behind this folder makes a swap to its
// successor (@vscode-elements/elements) a change here only. Register just what the view uses.
import { provideVSCodeDesignSystem, vsCodeButton } from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerComponents(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton());
}
