// The health status-bar item: `$(pulse) 12/12 · API ok`, coloured by level; a click focuses the Health view.
import * as vscode from 'vscode';
import type { HealthSummary } from '../core/health/summarizeHealth';
import { statusBarLook, statusTooltipMarkdown } from '../core/health/healthText';

export class HealthStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('zenops.health', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'ZenOps Health';
    this.item.text = '$(sync~spin) ZenOps health';
    this.item.command = 'zenops.health.focus';
    this.item.tooltip = 'ZenOps: checking health…';
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  /** The tooltip's markdown and the background theme colour id, as the item shows them (for the state command). */
  get look(): { tooltip: string; background: string | undefined } {
    const tooltip = this.item.tooltip;
    return { tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''), background: this.item.backgroundColor?.id };
  }

  update(summary: HealthSummary): void {
    const look = statusBarLook(summary);
    this.item.text = look.text;
    this.item.backgroundColor = look.background ? new vscode.ThemeColor(look.background) : undefined;
    const tooltip = new vscode.MarkdownString(statusTooltipMarkdown(summary));
    tooltip.supportThemeIcons = true;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `ZenOps health: ${summary.text}`, role: 'button' };
  }

  dispose(): void {
    this.item.dispose();
  }
}
