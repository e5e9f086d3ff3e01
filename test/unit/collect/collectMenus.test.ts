// "ZenOps: Collect Logs" sits in the title bar of every ZenOps view: package.json's view/title menus, read as VS Code reads them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

/** The view ids a `when` clause shows an entry on, for the forms menus use: `view == id`, `view =~ /re/`, joined by `||`. */
function viewsShownOn(when: string | undefined, viewIds: readonly string[]): string[] {
  if (!when) return [...viewIds];
  return viewIds.filter((id) =>
    when.split('||').some((clause) => {
      const equals = /^\s*view\s*==\s*([\w.-]+)\s*$/.exec(clause);
      if (equals) return equals[1] === id;
      const matches = /^\s*view\s*=~\s*\/(.+)\/([a-z]*)\s*$/.exec(clause);
      if (matches) return new RegExp(matches[1], matches[2]).test(id);
      throw new Error(`view/title "when" clause this test cannot read: ${clause.trim()}`);
    }),
  );
}

describe('the Collect Logs command in the ZenOps views', () => {
  const zenopsViews: { id: string }[] = Object.values(manifest.contributes.views as Record<string, { id: string }[]>)
    .flat()
    .filter((view) => view.id.startsWith('zenops.'));
  const titleMenu: MenuEntry[] = manifest.contributes.menus['view/title'];

  it("is in the title bar (navigation group) of every ZenOps view, each exactly once", () => {
    // Not vacuous: at least the four views ZenOps has had since the Logs issue; any view added later is checked too.
    for (const id of ['zenops.contract', 'zenops.health', 'zenops.logs', 'zenops.logPanel']) assert.ok(zenopsViews.some((v) => v.id === id), `${id} is not contributed`);
    const collectEntries = titleMenu.filter((entry) => entry.command === 'zenops.collectLogs');
    for (const entry of collectEntries) assert.match(entry.group ?? '', /^navigation(@\d+)?$/, `not a title-bar button: ${JSON.stringify(entry)}`);
    for (const { id } of zenopsViews) {
      const shown = collectEntries.filter((entry) => viewsShownOn(entry.when, [id]).length > 0);
      assert.equal(shown.length, 1, `zenops.collectLogs in the title menu of ${id}: ${shown.length} entries`);
    }
  });

  it('has an icon, so the title bar shows a small button rather than its title text', () => {
    const command = (manifest.contributes.commands as { command: string; icon?: string }[]).find((c) => c.command === 'zenops.collectLogs');
    assert.ok(command?.icon, JSON.stringify(command));
  });
});
